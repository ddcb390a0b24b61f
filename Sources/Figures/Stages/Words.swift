/// Picks the Chinese or the English text of a figure: `words("注意力", "attention")`.
struct Words: Sendable {
    let language: Language

    func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    /// "A、B 和 C" / "A, B and C".
    func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        let head = items.dropLast().joined(separator: language == .zh ? "、" : ", ")
        return head + (language == .zh ? " 和 " : " and ") + items.last!
    }

    /// Sentence punctuation between clauses.
    var period: String { language == .zh ? "。" : ". " }
}
