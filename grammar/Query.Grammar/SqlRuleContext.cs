using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;

namespace Query.Grammar;

/// <summary>
/// Base class of every generated parse-tree context (the grammar's <c>contextSuperClass</c>). It keeps its first
/// two children in fields and any further ones in an array of slots, and is itself the
/// <see cref="ParserRuleContext.children"/> list: <c>children</c> is either <see langword="null"/> (no children
/// yet) or this context.
/// </summary>
/// <remarks>
/// Why: the runtime gives every context with children a <c>List&lt;IParseTree&gt;</c> and an array of four (80
/// bytes for a single child, more as it grows), and each store into an interface-typed array pays a covariance
/// check. Most contexts have one or two children, so here they cost no allocation at all, and the overflow
/// array holds structs, whose stores need no check. Everything the runtime does to children goes through the
/// virtual methods overridden below or through the <see cref="IList{T}"/> members, so its behaviour is unchanged.
/// </remarks>
public class SqlRuleContext : ParserRuleContext, IList<IParseTree>
{
    private IParseTree? _child0;
    private IParseTree? _child1;
    private Slot[]? _more;
    private int _count;

    public SqlRuleContext()
    {
    }

    public SqlRuleContext(ParserRuleContext parent, int invokingStateNumber)
        : base(parent, invokingStateNumber)
    {
    }

    /// <summary>An array element that is a struct, so storing a reference into it needs no covariance check.</summary>
    private struct Slot
    {
        public IParseTree Tree;
    }

    public sealed override int ChildCount => _count;

    public sealed override IParseTree GetChild(int i) => (uint)i < (uint)_count ? At(i) : null!;

    public sealed override void AddChild(ITerminalNode t) => Append(t);

    public sealed override void AddChild(RuleContext ruleInvocation) => Append(ruleInvocation);

    /// <summary>Adds a matched token; a <see cref="TerminalToken"/> is its own tree node, no wrapper.</summary>
    public sealed override ITerminalNode AddChild(IToken matchedToken)
    {
        if (matchedToken is not TerminalToken token)
            return base.AddChild(matchedToken);
        token.Parent = this;
        Append(token);
        return token;
    }

    public sealed override void RemoveLastChild()
    {
        if (_count > 0)
            Set(--_count, null);
    }

    public sealed override void CopyFrom(ParserRuleContext ctx)
    {
        base.CopyFrom(ctx);
        // The base copies error nodes into a List of its own; move them here so `children` stays this context.
        if (children is { } copied && !ReferenceEquals(copied, this))
        {
            children = null;
            foreach (var child in copied)
                Append(child);
        }
    }

    // The generated accessors (expression(), NOT(), ...) call these; the base versions enumerate `children`
    // through the interface, which allocates an enumerator per call.

    public sealed override T GetChild<T>(int i)
    {
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is T child && i-- == 0)
                return child;
        }
        return default!;
    }

    public sealed override T GetRuleContext<T>(int i) => GetChild<T>(i);

    public sealed override T[] GetRuleContexts<T>()
    {
        var count = 0;
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is T)
                count++;
        }
        if (count == 0)
            return [];
        var result = new T[count];
        count = 0;
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is T child)
                result[count++] = child;
        }
        return result;
    }

    public sealed override ITerminalNode GetToken(int ttype, int i)
    {
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is ITerminalNode node && node.Symbol.Type == ttype && i-- == 0)
                return node;
        }
        return null!;
    }

    public sealed override ITerminalNode[] GetTokens(int ttype)
    {
        var count = 0;
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is ITerminalNode node && node.Symbol.Type == ttype)
                count++;
        }
        if (count == 0)
            return [];
        var result = new ITerminalNode[count];
        count = 0;
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is ITerminalNode node && node.Symbol.Type == ttype)
                result[count++] = node;
        }
        return result;
    }

    // Non-virtual lookups for AstBuilder: they inline with T known, so the type test is a plain class check.

    /// <summary>The first child that is a <typeparamref name="T"/>, or <see langword="null"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? Child<T>()
        where T : class
    {
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is T child)
                return child;
        }
        return null;
    }

    /// <summary>Whether a child is a token of type <paramref name="tokenType"/>.</summary>
    public bool HasToken(int tokenType)
    {
        for (var j = 0; j < _count; j++)
        {
            if (At(j) is ITerminalNode node && node.Symbol.Type == tokenType)
                return true;
        }
        return false;
    }

    /// <summary>The child at <paramref name="index"/>, which must exist.</summary>
    public IParseTree ChildAt(int index)
    {
        Debug.Assert((uint)index < (uint)_count);
        return At(index);
    }

    private IParseTree At(int index) => index switch
    {
        0 => _child0!,
        1 => _child1!,
        _ => _more![index - 2].Tree,
    };

    private void Append(IParseTree child)
    {
        switch (_count)
        {
            case 0:
                _child0 = child;
                children = this;
                break;
            case 1:
                _child1 = child;
                break;
            default:
                var slot = _count - 2;
                if (_more is null)
                    _more = new Slot[2];
                else if (slot == _more.Length)
                    Array.Resize(ref _more, _more.Length * 2);
                _more[slot].Tree = child;
                break;
        }
        _count++;
    }

    // ---------------------------------------------------------------- IList<IParseTree>

    IParseTree IList<IParseTree>.this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return At(index);
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            Set(index, value);
        }
    }

    private void Set(int index, IParseTree? child)
    {
        switch (index)
        {
            case 0:
                _child0 = child;
                break;
            case 1:
                _child1 = child;
                break;
            default:
                _more![index - 2].Tree = child!;
                break;
        }
    }

    int ICollection<IParseTree>.Count => _count;

    bool ICollection<IParseTree>.IsReadOnly => false;

    void ICollection<IParseTree>.Add(IParseTree item) => Append(item);

    void IList<IParseTree>.Insert(int index, IParseTree item)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)_count, nameof(index));
        Append(item);
        for (var i = _count - 1; i > index; i--)
            Set(i, At(i - 1));
        Set(index, item);
    }

    void IList<IParseTree>.RemoveAt(int index) => RemoveChildAt(index);

    private void RemoveChildAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        for (var i = index; i < _count - 1; i++)
            Set(i, At(i + 1));
        Set(--_count, null);
    }

    int IList<IParseTree>.IndexOf(IParseTree item)
    {
        for (var i = 0; i < _count; i++)
        {
            if (Equals(At(i), item))
                return i;
        }
        return -1;
    }

    bool ICollection<IParseTree>.Contains(IParseTree item) => ((IList<IParseTree>)this).IndexOf(item) >= 0;

    bool ICollection<IParseTree>.Remove(IParseTree item)
    {
        var index = ((IList<IParseTree>)this).IndexOf(item);
        if (index < 0)
            return false;
        RemoveChildAt(index);
        return true;
    }

    void ICollection<IParseTree>.Clear()
    {
        while (_count > 0)
            Set(--_count, null);
    }

    void ICollection<IParseTree>.CopyTo(IParseTree[] array, int arrayIndex)
    {
        for (var i = 0; i < _count; i++)
            array[arrayIndex + i] = At(i);
    }

    IEnumerator<IParseTree> IEnumerable<IParseTree>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
            yield return At(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<IParseTree>)this).GetEnumerator();
}
