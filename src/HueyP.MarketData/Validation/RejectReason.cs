namespace HueyP.MarketData.Validation;

/// <summary>Why a row of recorded data never reached a consumer.</summary>
public enum RejectReason
{
    /// <summary>Wrong number of fields, or a field that is not a number or timestamp.</summary>
    MalformedRow,

    /// <summary>A price that is NaN, infinite, zero or negative.</summary>
    InvalidPrice,

    /// <summary>Ask below bid: a crossed book that no broker would fill at.</summary>
    AskBelowBid,

    /// <summary>A timestamp earlier than the previous row's: replaying it would move the data clock backwards.</summary>
    TimeWentBackwards,

    /// <summary>A bar whose minute was already read from the same file.</summary>
    DuplicateBar,

    /// <summary>A bar whose high or low does not contain its open and close.</summary>
    InconsistentBar,

    /// <summary>A minute present in the bid file or the ask file but not in both.</summary>
    UnmatchedMinute,
}
