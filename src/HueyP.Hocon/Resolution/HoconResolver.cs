using HueyP.Hocon.Syntax;

namespace HueyP.Hocon.Resolution;

/// <summary>
/// Replaces substitutions, concatenations and merge stacks by plain values, in place.
/// Lookups resolve lazily along the path they walk, so order of definition does not matter;
/// a node met again while it is being resolved is a cycle.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;
    private readonly HashSet<HoconValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<HoconSubstitution> _substitutionChain = [];

    public HoconResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>The path of the field being resolved and what earlier definitions of it gave: the target of a self-reference.</summary>
    private sealed record SelfContext(HoconPath? Path, Lazy<HoconValue?> Below);

    /// <summary>Unwinds to the nearest optional substitution (for which a cycle just means "undefined") or to the caller.</summary>
    private sealed class CycleDetected(HoconParseException error) : Exception(error.Message)
    {
        public HoconParseException Error { get; } = error;
    }

    public HoconObject Resolve()
    {
        try
        {
            ResolveObjectInPlace(_root, null, null);
        }
        catch (CycleDetected cycle)
        {
            throw cycle.Error;
        }
        return _root;
    }

    private void ResolveObjectInPlace(HoconObject obj, HoconPath? path, HoconObject? below)
    {
        if (obj.IsResolved)
        {
            return;
        }
        if (obj.IsBeingResolved)
        {
            throw CycleError();
        }
        obj.IsBeingResolved = true;
        try
        {
            foreach (var key in obj.Keys.ToList())
            {
                HoconValue? belowChild = null;
                below?.TryGetValue(key, out belowChild);
                ResolveField(obj, key, Child(path, key), belowChild);
            }
        }
        finally
        {
            obj.IsBeingResolved = false;
        }
        obj.IsResolved = true;
    }

    private static HoconPath Child(HoconPath? parent, string key) => parent is null ? new HoconPath([key]) : parent.Append(key);

    /// <summary>Resolves one field and stores the result in its object (removing it when an optional substitution left it undefined).</summary>
    private HoconValue? ResolveField(HoconObject parent, string key, HoconPath path, HoconValue? below)
    {
        if (!parent.TryGetValue(key, out var value))
        {
            return null;
        }
        switch (value)
        {
            case HoconScalar:
                return value;
            case HoconObject obj:
                ResolveObjectInPlace(obj, path, below as HoconObject);
                return obj;
        }
        if (!_inProgress.Add(value))
        {
            throw CycleError();
        }
        HoconValue? resolved;
        try
        {
            resolved = ResolveLayers(value is HoconMergeStack stack ? stack.Layers : [value], path, below);
        }
        finally
        {
            _inProgress.Remove(value);
        }
        if (resolved is null)
        {
            parent.Remove(key);
        }
        else
        {
            parent.Set(key, resolved);
        }
        return resolved;
    }

    /// <summary>
    /// Resolves successive definitions newest first: a non-object on top hides everything below, which is then never
    /// evaluated; a self-reference in a layer sees the combination of the layers below it (and of <paramref name="below"/>).
    /// </summary>
    private HoconValue? ResolveLayers(IReadOnlyList<HoconValue> layers, HoconPath? path, HoconValue? below)
    {
        var lowerResults = new Lazy<HoconValue?>[layers.Count + 1];
        lowerResults[0] = new Lazy<HoconValue?>((HoconValue?)null);
        for (var count = 1; count <= layers.Count; count++)
        {
            var top = layers[count - 1];
            var lower = lowerResults[count - 1];
            lowerResults[count] = new Lazy<HoconValue?>(() =>
            {
                var context = new SelfContext(path, new Lazy<HoconValue?>(() => Combine(lower.Value, below)));
                var resolved = ResolveValue(top, context);
                return resolved switch
                {
                    null => lower.Value,
                    HoconObject => Combine(resolved, lower.Value as HoconObject),
                    _ => resolved,
                };
            });
        }
        return lowerResults[layers.Count].Value;
    }

    private static HoconValue? Combine(HoconValue? top, HoconValue? fallback)
    {
        if (top is HoconObject topObject && fallback is HoconObject fallbackObject)
        {
            return HoconTreeMerger.MergeResolved(topObject, fallbackObject);
        }
        return top ?? fallback;
    }

    private HoconValue? ResolveValue(HoconValue value, SelfContext context)
    {
        switch (value)
        {
            case HoconScalar:
                return value;
            case HoconObject obj:
                ResolveObjectInPlace(obj, context.Path, context.Below.Value as HoconObject);
                return obj;
            case HoconArray array:
                return new HoconArray(array.Items.Select(item => ResolveValue(item, context)).OfType<HoconValue>(), array.Origin);
            case HoconSubstitution substitution:
                return ResolveSubstitution(substitution, context);
            case HoconConcatenation concatenation:
                return ResolveConcatenation(concatenation, context);
            case HoconMergeStack stack:
                return ResolveLayers(stack.Layers, context.Path, context.Below.Value);
            default:
                throw new InvalidOperationException($"Unexpected node {value.GetType().Name}.");
        }
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution substitution, SelfContext context)
    {
        _substitutionChain.Add(substitution);
        try
        {
            HoconValue? found;
            if (context.Path is not null && substitution.Path.StartsWith(context.Path))
            {
                found = Walk(context.Below.Value, substitution.Path.Segments.Skip(context.Path.Segments.Count));
            }
            else
            {
                try
                {
                    found = Lookup(substitution.Path);
                    if (found is null && !substitution.Path.Equals(substitution.WrittenPath))
                    {
                        found = Lookup(substitution.WrittenPath);
                    }
                }
                catch (CycleDetected) when (substitution.Optional)
                {
                    return null;
                }
            }

            if (found is null)
            {
                var variableName = string.Join('.', substitution.WrittenPath.Segments);
                var variable = _environment(variableName);
                if (variable is not null)
                {
                    found = new HoconScalar(HoconScalarKind.String, variable, substitution.Origin);
                }
            }

            if (found is null)
            {
                if (substitution.Optional)
                {
                    return null;
                }
                throw new HoconParseException(substitution.Origin,
                    $"undefined substitution ${{{substitution.WrittenPath}}}: no setting at '{substitution.WrittenPath}' and no environment variable of that name (write ${{?{substitution.WrittenPath}}} if it is optional)");
            }
            // Scalars take the substitution's position so errors point at the line the user wrote.
            return found is HoconScalar scalar ? scalar.WithOrigin(substitution.Origin) : found;
        }
        finally
        {
            _substitutionChain.RemoveAt(_substitutionChain.Count - 1);
        }
    }

    private static HoconValue? Walk(HoconValue? start, IEnumerable<string> segments)
    {
        var current = start;
        foreach (var segment in segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var child))
            {
                return null;
            }
            current = child;
        }
        return current;
    }

    private HoconValue? Lookup(HoconPath path) => WalkAndResolve(_root, null, path.Segments);

    private HoconValue? WalkAndResolve(HoconValue start, HoconPath? startPath, IReadOnlyList<string> segments)
    {
        var current = start;
        var path = startPath;
        for (var i = 0; i < segments.Count; i++)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segments[i], out var child))
            {
                return null;
            }
            path = Child(path, segments[i]);
            if (child is not (HoconScalar or HoconObject))
            {
                if (_inProgress.Contains(child) && i < segments.Count - 1)
                {
                    return LookInsideValueBeingResolved(child, path, segments.Skip(i + 1).ToList());
                }
                child = ResolveField(obj, segments[i], path, null);
                if (child is null)
                {
                    return null;
                }
            }
            current = child;
        }
        if (current is HoconObject target)
        {
            ResolveObjectInPlace(target, path, null);
        }
        return current;
    }

    /// <summary>
    /// Lets <c>bar = ${defaults} { foo = 42, baz = ${bar.foo} }</c> work: while <c>bar</c> is being resolved, a lookup
    /// below it is answered from the newest object literal that defines the next key. Anything less certain is a cycle.
    /// </summary>
    private HoconValue? LookInsideValueBeingResolved(HoconValue value, HoconPath path, IReadOnlyList<string> remaining)
    {
        var layers = value is HoconMergeStack stack ? stack.Layers : [value];
        foreach (var layer in layers.Reverse())
        {
            var candidates = layer is HoconConcatenation concatenation ? concatenation.Pieces.Reverse() : [layer];
            foreach (var candidate in candidates.Where(c => c is not HoconWhitespace))
            {
                if (candidate is not HoconObject obj)
                {
                    throw CycleError();
                }
                if (obj.TryGetValue(remaining[0], out _))
                {
                    return WalkAndResolve(obj, path, remaining);
                }
            }
        }
        throw CycleError();
    }

    private HoconValue? ResolveConcatenation(HoconConcatenation concatenation, SelfContext context)
    {
        var resolved = new List<HoconValue>();
        foreach (var piece in concatenation.Pieces)
        {
            var value = piece is HoconWhitespace ? piece : ResolveValue(piece, context);
            if (value is not null)
            {
                resolved.Add(value);
            }
        }
        var values = resolved.Where(v => v is not HoconWhitespace).ToList();
        if (values.Count == 0)
        {
            return null;
        }
        if (values.All(v => v is HoconObject))
        {
            return values.Cast<HoconObject>().Aggregate((earlier, later) => HoconTreeMerger.MergeResolved(later, earlier));
        }
        if (values.All(v => v is HoconArray))
        {
            return new HoconArray(values.Cast<HoconArray>().SelectMany(a => a.Items), concatenation.Origin);
        }
        if (values.All(v => v is HoconScalar))
        {
            if (values.Count == 1 && resolved.Count == 1)
            {
                return values[0];
            }
            var text = string.Concat(resolved.Select(v => v is HoconWhitespace ws ? ws.Text : ((HoconScalar)v).Text));
            return new HoconScalar(HoconScalarKind.String, text, concatenation.Origin);
        }
        var kinds = string.Join(" and ", values.Select(Describe).Distinct());
        var where = context.Path is null ? "" : $" of '{context.Path}'";
        throw new HoconParseException(concatenation.Origin, $"cannot concatenate {kinds} in the value{where}");
    }

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        _ => "a string",
    };

    private CycleDetected CycleError()
    {
        var origin = _substitutionChain.Count > 0 ? _substitutionChain[^1].Origin : _root.Origin;
        var chain = string.Join(" -> ", _substitutionChain.Select(s => s.ToString()));
        return new CycleDetected(new HoconParseException(origin, $"substitution cycle: {chain}"));
    }
}
