import TinyGPT
import Mustache

/// A Mustache context that records every key a template asks for and does not find.
///
/// swift-mustache renders a missing key as empty text, which would let a lesson ship with a
/// hole where a number should be. Every object in a lesson context is a `ContextNode`; each
/// failed lookup is written to the shared `LookupLog`, and the renderer turns any entry into
/// an error that names the chapter and the key.
///
/// Rule for templates: inside a list or object section (`{{#ch6.heads}}…{{/ch6.heads}}`) use
/// only that item's own keys. Mustache would climb to outer objects, but a climb starts with a
/// failed lookup, which this context reports. Conditions use boolean keys (`{{#ch6.found}}`),
/// which do not open a new scope.
public final class ContextNode: MustacheParent, CustomStringConvertible {
    /// Dotted path from the root, e.g. `ch5.rows[2]`.
    public let path: String
    let values: [String: Any]
    let log: LookupLog

    init(path: String, values: [String: Any], log: LookupLog) {
        self.path = path
        self.values = values
        self.log = log
    }

    /// Mustache's lookup hook: records a miss before answering `nil`.
    public func child(named name: String) -> Any? {
        if let value = values[name] {
            if let text = value as? String { log.bind(path.isEmpty ? name : "\(path).\(name)", text) }
            return value
        }
        log.record(path.isEmpty ? name : "\(path).\(name)")
        return nil
    }

    /// Keys at this level, sorted.
    public var keys: [String] { values.keys.sorted() }

    /// Rendering an object as text is a template mistake; show it plainly so the check finds it.
    public var description: String { "<object \(path)>" }

    /// Builds a context from plain Swift values (structs, arrays, strings, ints, bools, optionals,
    /// `[String: Any]` dictionaries). Structs become objects keyed by property name; `nil`
    /// becomes `false`, so `{{#x}}…{{/x}}{{^x}}…{{/x}}` works for optional values.
    public static func make(_ root: [String: Any], log: LookupLog) -> ContextNode {
        convert(root, path: "", log: log) as! ContextNode
    }

    static func convert(_ value: Any, path: String, log: LookupLog) -> Any {
        switch value {
        case let node as ContextNode: return node
        case let s as String: return s
        case let b as Bool: return b
        case let i as Int: return String(i)
        case let d as [String: Any]:
            var out: [String: Any] = [:]
            for (k, v) in d { out[k] = convert(v, path: join(path, k), log: log) }
            return ContextNode(path: path, values: out, log: log)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return false }
            return convert(wrapped, path: path, log: log)
        case .collection, .set:
            return mirror.children.enumerated().map { i, child in convert(child.value, path: "\(path)[\(i)]", log: log) }
        case .struct, .class:
            var out: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                out[label] = convert(child.value, path: join(path, label), log: log)
            }
            return ContextNode(path: path, values: out, log: log)
        default:
            return String(describing: value)
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// The keys a render asked for and did not find, in first-asked order, and every text value it
/// placed (key → the exact string), so checks can compare printed numbers with their source.
public final class LookupLog {
    private(set) var missing: [String] = []
    private(set) var bound: [Binding] = []
    private var seen: Set<String> = []
    /// An empty log.
    public init() {}
    func record(_ key: String) { if !missing.contains(key) { missing.append(key) } }
    func bind(_ key: String, _ text: String) {
        if seen.insert(key).inserted { bound.append(Binding(key: key, text: text)) }
    }
}

/// One value a template placed: its key in the context (`ch4.next.top1.prob`) and the exact text printed (`0.319`).
public struct Binding: Sendable, Equatable, CustomStringConvertible {
    /// Dotted context path, with list indices (`ch5.rows[1].weights[0]`).
    public var key: String
    /// The text the template printed for it.
    public var text: String
    /// `key = text`.
    public var description: String { "\(key) = \(text)" }
}
