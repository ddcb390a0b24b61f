import Foundation
import TinyGPT

/// Where a figure came from: enough to draw it again, byte for byte, and to notice when the
/// model changed. Written into every SVG (`<metadata>`), PNG (`iTXt` chunk) and `figures.json`
/// by `gptx render`; `gptx render --again FILE` reads it back.
///
///     let p = Provenance(modelSHA256: try bundle.modelSHA256(), prompt: "我爱", stage: .maskMatrix,
///                        figure: "maskMatrix", parameters: [:], options: nil, theme: "light",
///                        language: .zh, scale: 2)
///     try drawing.svg(metadata: p.json)
public struct Provenance: Codable, Equatable, Sendable {
    /// SHA-256 of the `model.safetensors` drawn from (hex).
    public var modelSHA256: String
    /// The prompt as given.
    public var prompt: String
    /// The stage's command-line name (`next-token-bars`).
    public var stage: String
    /// The figure's file stem (a walkthrough stage draws several: `tokenTrip-03`).
    public var figure: String
    /// The stage parameters that applied, as text.
    public var parameters: [String: String]
    /// The decoding options given on the command line, if any.
    public var options: GenerationOptions?
    /// `light`, `dark` or `print`.
    public var theme: String
    /// `zh` or `en`.
    public var language: String
    /// PNG pixels per point.
    public var scale: Double
    /// The gptx that drew it.
    public var version: String

    enum CodingKeys: String, CodingKey {
        case modelSHA256 = "model_sha256", prompt, stage, figure, parameters, options, theme, language, scale, version
    }

    /// Creates a record for the current gptx version.
    public init(modelSHA256: String, prompt: String, stage: FigureStage, figure: String, parameters: [String: String],
                options: GenerationOptions?, theme: String, language: Language, scale: Double)
    {
        self.modelSHA256 = modelSHA256
        self.prompt = prompt
        self.stage = stage.cliName
        self.figure = figure
        self.parameters = parameters
        self.options = options
        self.theme = theme
        self.language = language.rawValue
        self.scale = scale
        version = GPTXVersion.current
    }

    /// The PNG text keyword and the SVG metadata element's id.
    public static let key = "gptx-provenance"

    /// The record as JSON with sorted keys (the same record gives the same bytes).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The record of a figure file written by `gptx render` (PNG or SVG, told apart by content).
    /// Throws one line naming the file when it has no record or the record does not parse.
    public static func read(_ data: Data, file: String) throws(UserError) -> Provenance {
        let text: String?
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            text = PNGEncoder.text(keyword: key, in: [UInt8](data))
        } else {
            text = SVGPostProcessor.metadata(id: key, in: String(decoding: data, as: UTF8.self))
        }
        guard let text else {
            throw UserError("\(file) has no gptx provenance: only PNG and SVG files written by gptx render (0.10 or later) can be rebuilt")
        }
        guard let p = try? JSONDecoder().decode(Provenance.self, from: Data(text.utf8)) else {
            throw UserError("\(file): its gptx provenance is garbled (not the JSON gptx render writes)")
        }
        return p
    }
}
