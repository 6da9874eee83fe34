using System.Reflection;
using System.Reflection.Emit;

namespace Wallet.Architecture.Tests;

/// <summary>
/// The namespace-level dependency graph of the product assemblies, read from metadata and from every method body's
/// IL, so that a dependency used only inside a method (a call, a <c>new</c>, a field read, a cast) counts as well
/// as one in a signature. Compiler-generated types (async state machines, closures) count for the namespace of
/// the type that declares them.
/// </summary>
internal sealed class DependencyGraph
{
    /// <summary>The product assemblies: everything shipped as a package, in build order.</summary>
    public static readonly string[] ProductAssemblies =
    [
        "Wallet.Crypto", "Wallet.Protocol", "Wallet.Protocol.Http", "Wallet.Protocol.AspNetCore",
        "Wallet.Storage.Sqlite", "Wallet.Storage.Postgres", "Wallet.Storage.Testing", "Wallet.Hosting",
    ];

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);

    private DependencyGraph()
    {
    }

    /// <summary>Every namespace seen, with the namespaces it depends on (itself excluded).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Edges => _edges;

    /// <summary>Builds the graph over the product assemblies.</summary>
    public static DependencyGraph Build()
    {
        var graph = new DependencyGraph();
        foreach (var name in ProductAssemblies)
        {
            var assembly = Assembly.Load(name);
            foreach (var type in assembly.GetTypes())
            {
                graph.AddType(type);
            }
        }

        return graph;
    }

    /// <summary>The namespace a type counts for: its outermost declaring type's, or null for types outside the product.</summary>
    public static string? OwnerNamespace(Type type)
    {
        while (type.IsNested)
        {
            type = type.DeclaringType!;
        }

        var assembly = type.Assembly.GetName().Name;
        return assembly is not null && ProductAssemblies.Contains(assembly) ? type.Namespace : null;
    }

    /// <summary>The edges from one namespace, or none.</summary>
    public IReadOnlySet<string> From(string ns) => _edges.TryGetValue(ns, out var set) ? set : new HashSet<string>();

    private void AddType(Type type)
    {
        var owner = OwnerNamespace(type);
        if (owner is null)
        {
            return;
        }

        var targets = Node(owner);
        void Use(Type? t) => AddReferenced(t, owner, targets);

        Use(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Use(i);
        }

        foreach (var a in type.GetCustomAttributesData())
        {
            Use(a.AttributeType);
        }

        foreach (var f in type.GetFields(Declared))
        {
            Use(f.FieldType);
        }

        foreach (var p in type.GetProperties(Declared))
        {
            Use(p.PropertyType);
        }

        foreach (var e in type.GetEvents(Declared))
        {
            Use(e.EventHandlerType);
        }

        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi)
            {
                Use(mi.ReturnType);
            }

            foreach (var p in m.GetParameters())
            {
                Use(p.ParameterType);
            }

            AddBody(m, Use);
        }
    }

    private HashSet<string> Node(string ns)
    {
        if (!_edges.TryGetValue(ns, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _edges[ns] = set;
        }

        return set;
    }

    private void AddReferenced(Type? type, string owner, HashSet<string> targets)
    {
        if (type is null)
        {
            return;
        }

        while (type.HasElementType)
        {
            type = type.GetElementType()!;
        }

        if (type.IsGenericParameter)
        {
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                AddReferenced(argument, owner, targets);
            }

            type = type.GetGenericTypeDefinition();
        }

        var ns = OwnerNamespace(type);
        if (ns is not null && ns != owner)
        {
            targets.Add(ns);
            Node(ns);
        }
    }

    private static void AddBody(MethodBase method, Action<Type?> use)
    {
        MethodBody? body;
        try
        {
            body = method.GetMethodBody();
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException)
        {
            return;
        }

        if (body is null)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            use(local.LocalType);
        }

        var il = body.GetILAsByteArray();
        if (il is null)
        {
            return;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    UseMember(method.Module, token, typeArguments, methodArguments, use);
                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    position += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static void UseMember(Module module, int token, Type[]? typeArguments, Type[]? methodArguments, Action<Type?> use)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException)
        {
            return;
        }

        switch (member)
        {
            case Type t:
                use(t);
                break;
            case FieldInfo f:
                use(f.DeclaringType);
                use(f.FieldType);
                break;
            case MethodBase m:
                use(m.DeclaringType);
                if (m is MethodInfo mi)
                {
                    use(mi.ReturnType);
                    if (mi.IsGenericMethod)
                    {
                        foreach (var a in mi.GetGenericArguments())
                        {
                            use(a);
                        }
                    }
                }

                break;
        }
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
