import TinyGPT
import Foundation

/// Builds into a staging folder beside the output, then swaps the generated entries in, so a
/// failed build leaves the previous output untouched.
struct StagedOutput {
    let output: URL
    let staging: URL
    let fm = FileManager.default

    init(output: URL) throws(UserError) {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.output.lastPathComponent).staging")
        do {
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch { throw UserError("\(self.output.path): cannot write there (staging folder \(staging.lastPathComponent): \(error.localizedDescription)); choose a folder you can write to") }
    }

    /// Writes a file inside the staging folder.
    func write(_ data: Data, to relative: String) throws(UserError) {
        let url = staging.appendingPathComponent(relative)
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        } catch { throw UserError("\(url.path): cannot be written (\(error.localizedDescription))") }
    }

    func write(_ text: String, to relative: String) throws(UserError) { try write(Data(text.utf8), to: relative) }

    /// Replaces each of `entries` (top-level names) in the output with the staged one.
    func commit(entries: [String]) throws(UserError) {
        do {
            try fm.createDirectory(at: output, withIntermediateDirectories: true)
            for entry in entries {
                let new = staging.appendingPathComponent(entry)
                let old = output.appendingPathComponent(entry)
                let trash = staging.appendingPathComponent(".old-" + entry.replacingOccurrences(of: "/", with: "_"))
                try fm.createDirectory(at: old.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fm.fileExists(atPath: old.path) { try fm.moveItem(at: old, to: trash) }
                try fm.moveItem(at: new, to: old)
            }
            try fm.removeItem(at: staging)
        } catch { throw UserError("\(output.path): cannot swap the new output in (\(error.localizedDescription))") }
    }

    /// Drops the staging folder after a failure.
    func discard() { try? fm.removeItem(at: staging) }
}

extension StagedOutput {
    /// Replaces the whole output folder with the staged one (for a folder this build owns entirely, like the site).
    func replaceAll() throws(UserError) {
        let trash = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old")
        do {
            try? fm.removeItem(at: trash)
            try fm.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: output.path) { try fm.moveItem(at: output, to: trash) }
            do { try fm.moveItem(at: staging, to: output) } catch {
                try? fm.moveItem(at: trash, to: output)  // the previous site stays as it was
                throw error
            }
            try? fm.removeItem(at: trash)
        } catch { throw UserError("\(output.path): cannot swap the new site in (\(error.localizedDescription))") }
    }
}
