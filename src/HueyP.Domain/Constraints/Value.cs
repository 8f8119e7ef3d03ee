using System.Globalization;

namespace HueyP.Domain.Constraints;

/// <summary>A value of the constraint language: a number or a boolean. No strings, no objects, nothing callable.</summary>
public readonly record struct Value
{
    private Value(bool isBoolean, double number, bool boolean)
    {
        IsBoolean = isBoolean;
        Number = number;
        Boolean = boolean;
    }

    public bool IsBoolean { get; }
    public double Number { get; }
    public bool Boolean { get; }

    public static Value Of(double number) => new(false, number, false);
    public static Value Of(bool boolean) => new(true, 0, boolean);
    public static readonly Value True = Of(true);
    public static readonly Value False = Of(false);

    public string TypeName => IsBoolean ? "boolean" : "number";

    public override string ToString() =>
        IsBoolean ? (Boolean ? "true" : "false") : Number.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Where variables come from. Implementations must not allocate per lookup on the hot path.</summary>
public interface IVariableSource
{
    bool TryGet(string name, out Value value);
}

public sealed class DictionaryVariableSource(IReadOnlyDictionary<string, Value> values) : IVariableSource
{
    public bool TryGet(string name, out Value value) => values.TryGetValue(name, out value);
}
