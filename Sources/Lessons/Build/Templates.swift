import TinyGPT
import Figures
import Foundation
import Mustache

/// The lesson templates of one language, parsed: `NN-slug.md.mustache` per chapter,
/// `index.md.mustache` for the README, and partials `_name.mustache` (used as `{{> name}}`).
///
/// Every template is parsed with `{{% CONTENT_TYPE: TEXT}}` in front: the output is markdown,
/// not HTML, so Mustache must not HTML-escape `<`, `&` or quotes.
struct TemplateSet {
    let language: Language
    let library: MustacheLibrary
    /// How errors show the template folder (`lessons/templates/zh`).
    let displayDirectory: String

    static let pragma = "{{% CONTENT_TYPE: TEXT}}"

    static func load(directory: URL, displayDirectory: String, language: Language, config: LessonConfig) throws(UserError) -> TemplateSet {
        let folder = directory.appendingPathComponent(language.rawValue)
        let shown = "\(displayDirectory)/\(language.rawValue)"
        var library = MustacheLibrary()
        func add(file: String, name: String, chapter: Int?) throws(UserError) {
            let where_ = chapter.map { "chapter \($0): " } ?? ""
            let url = folder.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw UserError("\(shown)/\(file): \(where_)template is missing")
            }
            guard let text = String(data: data, encoding: .utf8) else { throw UserError("\(shown)/\(file): \(where_)template is not UTF-8") }
            do { try library.register(pragma + text, named: name) } catch let error as MustacheTemplate.ParserError {
                throw UserError("\(shown)/\(file): \(where_)line \(error.context.lineNumber - 0): Mustache syntax error (\(error.error))")
            } catch {
                throw UserError("\(shown)/\(file): \(where_)Mustache syntax error")
            }
        }
        for chapter in config.chapters {
            try add(file: chapter.baseName + ".md.mustache", name: chapter.baseName, chapter: chapter.number)
        }
        try add(file: "index.md.mustache", name: "index", chapter: nil)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in files.sorted() where file.hasPrefix("_") && file.hasSuffix(".mustache") {
            try add(file: file, name: String(file.dropFirst().dropLast(".mustache".count)), chapter: nil)
        }
        return TemplateSet(language: language, library: library, displayDirectory: shown)
    }

    /// Renders a template; any key it looked up and did not find is an error naming `what` and the key.
    func render(_ name: String, context: [String: Any], what: String) throws(UserError) -> String {
        try renderRecording(name, context: context, what: what).text
    }

    /// Like `render`, and also returns every text value the template placed.
    func renderRecording(_ name: String, context: [String: Any], what: String) throws(UserError) -> (text: String, bound: [Binding]) {
        let log = LookupLog()
        let root = ContextNode.make(context, log: log)
        guard let text = library.render(root, withTemplate: name) else { throw UserError("\(what): template \(name) is not loaded") }
        if let key = log.missing.first {
            throw UserError("\(what): template uses {{\(key)}}, which the run does not provide")
        }
        try OutputChecks.checkFilled(text, what: what)
        return (text, log.bound)
    }

    /// Renders a one-off template string (captions, alt text) against a context.
    static func renderString(_ template: String, context: [String: Any], what: String) throws(UserError) -> String {
        try renderStringRecording(template, context: context, what: what).text
    }

    /// Like `renderString`, and also returns every text value placed.
    static func renderStringRecording(_ template: String, context: [String: Any], what: String) throws(UserError) -> (text: String, bound: [Binding]) {
        let parsed: MustacheTemplate
        do { parsed = try MustacheTemplate(string: pragma + template) } catch { throw UserError("\(what): Mustache syntax error") }
        let log = LookupLog()
        let text = parsed.render(ContextNode.make(context, log: log))
        if let key = log.missing.first { throw UserError("\(what): uses {{\(key)}}, which the run does not provide") }
        try OutputChecks.checkFilled(text, what: what)
        return (text, log.bound)
    }
}
