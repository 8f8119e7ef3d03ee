namespace HueyP.Hocon.Syntax;

/// <summary>The duplicate-key rules of the spec: objects merge, anything else later wins, unresolved values stack.</summary>
internal static class HoconTreeMerger
{
    /// <summary>Adds a field to an object under construction as if it were written after the existing fields.</summary>
    public static void MergeField(HoconObject target, string key, HoconValue value)
    {
        if (!target.TryGetValue(key, out var existing))
        {
            target.Set(key, value);
            return;
        }
        if (existing is HoconObject existingObject && value is HoconObject newObject)
        {
            foreach (var (childKey, childValue) in newObject.Fields)
            {
                MergeField(existingObject, childKey, childValue);
            }
            return;
        }
        var newValueNeedsWhatIsBelow = NeedsResolution(value) || (value is HoconObject && NeedsResolution(existing));
        if (!newValueNeedsWhatIsBelow)
        {
            target.Set(key, value);
            return;
        }
        var layers = existing is HoconMergeStack stack ? stack.Layers.ToList() : [existing];
        layers.Add(value);
        target.Set(key, new HoconMergeStack(layers, value.Origin));
    }

    private static bool NeedsResolution(HoconValue value) => value switch
    {
        HoconArray array => array.Items.Any(NeedsResolution),
        _ => value.IsUnresolved,
    };

    /// <summary>Merges two resolved objects without changing either; <paramref name="top"/> wins.</summary>
    public static HoconObject MergeResolved(HoconObject top, HoconObject fallback)
    {
        var result = new HoconObject(top.Origin) { IsResolved = top.IsResolved && fallback.IsResolved };
        foreach (var (key, value) in fallback.Fields)
        {
            result.Set(key, value);
        }
        foreach (var (key, value) in top.Fields)
        {
            if (value is HoconObject topChild && result.TryGetValue(key, out var below) && below is HoconObject fallbackChild)
            {
                result.Set(key, MergeResolved(topChild, fallbackChild));
            }
            else
            {
                result.Set(key, value);
            }
        }
        return result;
    }

    /// <summary>Rewrites substitutions of an included file so they look first under the include location.</summary>
    public static void PrefixSubstitutions(HoconValue value, HoconPath prefix)
    {
        switch (value)
        {
            case HoconSubstitution substitution:
                substitution.Path = substitution.Path.Prepend(prefix);
                break;
            case HoconObject obj:
                foreach (var (_, child) in obj.Fields)
                {
                    PrefixSubstitutions(child, prefix);
                }
                break;
            case HoconArray array:
                foreach (var item in array.Items)
                {
                    PrefixSubstitutions(item, prefix);
                }
                break;
            case HoconConcatenation concatenation:
                foreach (var piece in concatenation.Pieces)
                {
                    PrefixSubstitutions(piece, prefix);
                }
                break;
            case HoconMergeStack stack:
                foreach (var layer in stack.Layers)
                {
                    PrefixSubstitutions(layer, prefix);
                }
                break;
        }
    }
}
