import TinyGPT
/// A language the lessons are written in. The raw value names the template folder
/// (`lessons/templates/zh/`) and the output folder (`output/zh/`).
public enum Language: String, CaseIterable, Sendable, Codable, Comparable {
    /// Simplified Chinese, the primary language.
    case zh
    /// English.
    case en

    /// The order lessons are built in: zh first.
    public static func < (a: Language, b: Language) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The BCP 47 tag for HTML `lang` attributes.
    public var htmlTag: String { self == .zh ? "zh-CN" : "en" }

    /// Parses `zh` or `en`; the error lists the valid values.
    public static func parse(_ text: String) throws(UserError) -> Language {
        guard let language = Language(rawValue: text) else {
            throw UserError("language \"\(text)\" is not known: allowed \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return language
    }
}
