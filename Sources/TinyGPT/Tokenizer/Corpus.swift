import Foundation

/// The training text: every `*.txt` file of a folder, split into documents.
///
/// Inside a file, documents are separated by a line holding only `<|endoftext|>`. Newlines at
/// the start and end of a document are dropped, and so are documents that are only whitespace.
///
///     # lessons/corpus/mood.txt
///     我今天很开心，因为考试考得很好。
///     <|endoftext|>
///     我今天很忙。
///
///     let docs = try Corpus.load(directory: URL(filePath: "lessons/corpus"))
///     docs.prefix(2)  // ["我今天很开心，因为考试考得很好。", "我今天很忙。"]
public enum Corpus {
    /// Reads the `*.txt` files of `directory` in sorted name order.
    ///
    /// Throws a one-line ``UserError`` when the folder is missing, holds no `.txt` file, a file
    /// is not UTF-8, or there is no document at all.
    public static func load(directory: URL) throws(UserError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw UserError("corpus folder \(directory.path) does not exist")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw UserError("corpus folder \(directory.path) cannot be read")
        }
        // Sorted by UTF-8 bytes: the same order on every machine and locale.
        let files = names.filter { $0.hasSuffix(".txt") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        guard !files.isEmpty else {
            throw UserError("corpus folder \(directory.path) has no .txt files: \(allowed)")
        }
        var documents: [String] = []
        for name in files {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw UserError("corpus file \(url.path) cannot be read")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw UserError("corpus file \(url.path) is not valid UTF-8: \(allowed)")
            }
            documents += split(text)
        }
        guard !documents.isEmpty else {
            throw UserError("corpus folder \(directory.path) has .txt files but no documents in them: \(allowed)")
        }
        return documents
    }

    /// What a corpus folder may hold, for the errors.
    static let allowed = "a corpus is a folder of UTF-8 .txt files holding text (documents inside a file separated by a line holding only \(Tokenizer.endOfText))"

    /// The documents of one file's text.
    static func split(_ text: String) -> [String] {
        var documents: [String] = []
        var lines: [Substring] = []
        func flush() {
            let document = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
            if !document.allSatisfy(\.isWhitespace) { documents.append(document) }
            lines.removeAll()
        }
        // Split on "\n" scalars, not Characters: "\r\n" is one Character in Swift.
        for line in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = Substring(line)
            if line == Tokenizer.endOfText || line == Tokenizer.endOfText + "\r" {
                flush()
            } else {
                lines.append(line)
            }
        }
        flush()
        return documents
    }
}
