import ArgumentParser
import Foundation
import Figures
import Lessons
import TinyGPT

/// `gptx site`: a static HTML site from the generated markdown (no scripts, no network).
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site",
        abstract: "Turn the generated lessons in OUT/<lang>/ into a static site in OUT/site/.")

    @Option(help: "The folder `gptx lessons` wrote.") var out = "output"
    @Option(help: "zh | en | all") var lang = "all"

    func run() throws {
        let languages = try LessonsCommand.languages(lang)
        try SiteBuilder.build(outputDirectory: URL(fileURLWithPath: out), languages: languages)
        print("site → \(out)/site/index.html")
    }
}
