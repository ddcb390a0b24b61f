/// Splits text into the chunks ("pre-tokens") that byte-pair merges work inside; no merge ever
/// crosses a chunk boundary, so a chunk is encoded on its own and the result can be cached.
///
/// Works on Unicode scalars, never on `Character`s or `String` equality, so canonically
/// equivalent spellings (é precomposed vs e + U+0301) stay distinct and round trips are exact.
///
/// The rules, in the spirit of GPT-2's regex
/// `'s|'t|… | ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`:
///
/// | chunk | scalars |
/// |---|---|
/// | end of text | the literal `<|endoftext|>` |
/// | Han run | CJK ideographs, except the standalone ones below |
/// | standalone Han | one of `我你他她它很是的了`: a single-character word of its own |
/// | letters | alphabetic scalars that are not Han, with an optional leading space (" hello") |
/// | digits | decimal/letter/other numbers, with an optional leading space |
/// | newlines | a run of `\n` / `\r` |
/// | spaces | a run of other whitespace; its last plain space moves to a following word |
/// | other | a run of punctuation, symbols, emoji, controls, with an optional leading space |
///
/// Combining marks continue whatever chunk they follow. Contractions are not special-cased
/// ("don't" is `don`, `'`, `t`).
///
/// Why the standalone characters: a Chinese phrase has no spaces, so a Han run like
/// 我今天很开心 would otherwise be one chunk and BPE could learn 很开 or 很忙, and then the
/// prompt 我今天很 would tokenise differently from the same text inside 我今天很忙.
/// Pronouns, 很, 是, 的, 了 are words a segmenter always splits off (我/今天/很/开心),
/// so making them chunk boundaries keeps prompts ending in them stable.
enum Pretokenizer {
    /// What a chunk holds; `hanRun` chunks have capped merges during training.
    enum Kind: Equatable, Sendable {
        case endOfText, hanRun, hanStandalone, letters, digits, newlines, spaces, other
    }

    /// A chunk: a range into the scalar array that was split.
    struct Chunk: Equatable, Sendable {
        var range: Range<Int>
        var kind: Kind
    }

    /// Han characters that always form a chunk of their own (see the type's comment).
    static let standaloneHan: Set<Unicode.Scalar> = Set("我你他她它很是的了".unicodeScalars)

    static let endOfTextScalars: [Unicode.Scalar] = Array(Tokenizer.endOfText.unicodeScalars)

    /// The class of one scalar before run grouping.
    private enum ScalarClass: Equatable {
        case han, hanStandalone, letter, digit, newline, space, mark, other
    }

    static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
        default: false
        }
    }

    private static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        if s.value < 0x80 {  // fast path for ASCII, the bulk of English and Python
            switch s.value {
            case 0x0A, 0x0D: return .newline
            case 0x09, 0x0B, 0x0C, 0x20: return .space
            case 0x30...0x39: return .digit
            case 0x41...0x5A, 0x61...0x7A: return .letter
            default: return .other
            }
        }
        if isHan(s) { return standaloneHan.contains(s) ? .hanStandalone : .han }
        let props = s.properties
        switch props.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .letterNumber, .otherNumber: return .digit
        default: break
        }
        if props.isWhitespace { return .space }
        if props.isAlphabetic { return .letter }
        return .other
    }

    static func isEndOfText(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        let e = endOfTextScalars
        guard s[i] == e[0], i + e.count <= s.count else { return false }
        for k in 1..<e.count where s[i + k] != e[k] { return false }
        return true
    }

    /// Splits `s` into chunks that cover it exactly, in order.
    ///
    ///     split(Array("I am 很好".unicodeScalars))
    ///     // "I", " am", " ", "很", "好"
    static func split(_ s: [Unicode.Scalar]) -> [Chunk] {
        let n = s.count
        var classes = [ScalarClass]()
        classes.reserveCapacity(n)
        for scalar in s { classes.append(classify(scalar)) }

        var chunks = [Chunk]()
        var i = 0
        // Extends a run from j while the class matches (marks always continue a run).
        func extend(_ j: Int, while matches: (ScalarClass) -> Bool) -> Int {
            var j = j
            while j < n, matches(classes[j]) || classes[j] == .mark { j += 1 }
            return j
        }
        // A leading space joins a following letter, digit or other run, as in GPT-2.
        func joinsLeadingSpace(_ k: Int) -> Bool {
            guard k < n, !isEndOfText(s, at: k) else { return false }
            switch classes[k] {
            case .letter, .digit, .other, .mark: return true
            default: return false
            }
        }
        while i < n {
            if isEndOfText(s, at: i) {
                chunks.append(Chunk(range: i..<(i + endOfTextScalars.count), kind: .endOfText))
                i += endOfTextScalars.count
                continue
            }
            let start = i
            var head = i
            if s[i] == " " && joinsLeadingSpace(i + 1) { head = i + 1 }
            let j: Int
            let kind: Kind
            switch classes[head] {
            case .hanStandalone:
                j = extend(head + 1, while: { _ in false }); kind = .hanStandalone
            case .han:
                j = extend(head + 1, while: { $0 == .han }); kind = .hanRun
            case .letter:
                j = extend(head + 1, while: { $0 == .letter }); kind = .letters
            case .digit:
                j = extend(head + 1, while: { $0 == .digit }); kind = .digits
            case .newline:
                j = extend(head + 1, while: { $0 == .newline }); kind = .newlines
            case .space:
                var end = extend(head + 1, while: { $0 == .space })
                // "   if": the last space goes with "if", leaving "  " here.
                if end - head > 1, s[end - 1] == " ", joinsLeadingSpace(end) { end -= 1 }
                j = end; kind = .spaces
            case .mark, .other:
                var end = head + 1
                while end < n, classes[end] == .other || classes[end] == .mark, !isEndOfText(s, at: end) {
                    end += 1
                }
                j = end; kind = .other
            }
            chunks.append(Chunk(range: start..<j, kind: kind))
            i = j
        }
        return chunks
    }
}
