import TinyGPT

/// A stage's parameters, checked: every name must be one the stage knows
/// (`FigureStage.parameters`, plus `frame` and `frames` for walkthrough stages), and every value
/// is parsed and range-checked where it is read. Messages name the stage, the parameter and
/// what is allowed.
struct StageParameters {
    let stage: FigureStage
    let values: [String: String]

    /// The names `stage` accepts.
    static func allowed(_ stage: FigureStage) -> [String] {
        var names = stage.parameters
        if stage.isWalkthrough { names.formUnion(["frame", "frames"]) }
        return names.sorted()
    }

    init(stage: FigureStage, values: [String: String]) throws(UserError) {
        self.stage = stage
        self.values = values
        let allowed = Self.allowed(stage)
        for name in values.keys.sorted() where !allowed.contains(name) {
            let list = allowed.isEmpty ? "it takes no parameters" : "allowed: \(allowed.joined(separator: ", "))"
            throw UserError("stage \(stage.rawValue) has no parameter \"\(name)\": \(list)")
        }
    }

    private func bad(_ name: String, _ text: String, _ allowed: String) -> UserError {
        UserError("stage \(stage.rawValue): parameter \(name) = \"\(text)\" is not valid: allowed \(allowed)")
    }

    /// Whether the parameter was given.
    func has(_ name: String) -> Bool { values[name] != nil }

    /// An integer in `range`, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(UserError) -> Int {
        guard let text = values[name] else { return min(max(defaultValue, range.lowerBound), range.upperBound) }
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw bad(name, text, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    /// A number in `range`, or `defaultValue` when absent.
    func double(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>) throws(UserError) -> Double {
        guard let text = values[name] else { return defaultValue }
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite, range.contains(v) else {
            throw bad(name, text, "a number in \(NumberFormat.short(range.lowerBound, digits: 3))...\(NumberFormat.short(range.upperBound, digits: 3))")
        }
        return v
    }

    /// A comma-separated list of numbers in `range` (1…`maxCount` of them).
    func doubles(_ name: String, default defaultValue: [Double], in range: ClosedRange<Double>,
                 maxCount: Int) throws(UserError) -> [Double] {
        guard let text = values[name] else { return defaultValue }
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.count <= maxCount, parts.allSatisfy({ $0 != nil && $0!.isFinite && range.contains($0!) }) else {
            throw bad(name, text, "1 to \(maxCount) comma-separated numbers in \(NumberFormat.short(range.lowerBound, digits: 3))...\(NumberFormat.short(range.upperBound, digits: 3))")
        }
        return parts.map { $0! }
    }

    /// One of `choices`, or `defaultValue` when absent.
    func choice(_ name: String, default defaultValue: String, in choices: [String]) throws(UserError) -> String {
        guard let text = values[name] else { return defaultValue }
        guard choices.contains(text) else { throw bad(name, text, choices.joined(separator: ", ")) }
        return text
    }
}

import Foundation
