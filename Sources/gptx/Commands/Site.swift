import ArgumentParser
import Foundation
import Figures
import Lessons
import TinyGPT

/// `gptx site`: a static HTML site from the generated lessons, with presenters for the walkthroughs and chapters.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site",
        abstract: "Turn the generated lessons in OUT/<lang>/ and OUT/walkthroughs/ into a static site (default OUT/site/).",
        discussion: """
        Pages link relatively, so the folder works from any path or from file://; KaTeX is copied from Debian's \
        libjs-katex, nothing is fetched. --base-url PATH makes the embed snippets name figures under PATH \
        (for a site served from a sub-path, e.g. /gptx/).
        """)

    @Option(help: "The folder `gptx lessons` wrote.") var out = "output"
    @Option(help: "Where to write the site (default OUT/site).") var site: String?
    @Option(help: "zh | en | all") var lang = "all"
    @Option(name: .customLong("base-url"), help: "The path the site is served from, e.g. /gptx/ (used in embed snippets).") var baseURL: String?

    func run() throws {
        let languages = try LessonsCommand.languages(lang)
        let dest = site ?? "\(out)/site"
        try SiteBuilder.build(outputDirectory: URL(fileURLWithPath: out), languages: languages, site: URL(fileURLWithPath: dest), baseURL: baseURL)
        print("site → \(dest)/index.html")
    }
}
