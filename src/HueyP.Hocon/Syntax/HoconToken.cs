namespace HueyP.Hocon.Syntax;

internal enum HoconTokenKind
{
    Whitespace,
    Newline,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    QuotedString,
    UnquotedText,
    Substitution,
    EndOfFile,
}

/// <summary>One lexical unit; for substitutions <see cref="Text"/> is the raw path expression between the braces.</summary>
internal readonly record struct HoconToken(HoconTokenKind Kind, string Text, int Line, int Column, bool IsOptionalSubstitution = false)
{
    public string Describe() => Kind switch
    {
        HoconTokenKind.EndOfFile => "end of file",
        HoconTokenKind.Newline => "end of line",
        HoconTokenKind.QuotedString => $"string \"{Text}\"",
        HoconTokenKind.UnquotedText => $"'{Text}'",
        HoconTokenKind.Substitution => $"substitution ${{{Text}}}",
        _ => $"'{Text}'",
    };
}
