import Foundation

/// Writing a file so that it is either the old file or the whole new one, never half-written:
/// a temporary file in the same directory, flushed, then renamed over the target.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `url`, flushes it, and renames it to `url`.
    /// On any failure the temporary file is removed and a `UserError` naming `url` is thrown.
    /// The directory must exist (it is not created).
    ///
    ///     try AtomicFile.write(TraceExport.json(trace, tokens: pieces), to: url)
    public static func write(_ bytes: Data, to url: URL) throws(UserError) {
        let path = url.path
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw UserError("\(path): cannot write: directory \(directory.path) does not exist")
        }
        guard isDirectory.boolValue else { throw UserError("\(path): cannot write: \(directory.path) is not a directory") }
        let temp = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw UserError("\(path): cannot write: directory \(directory.path) is not writable")
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            do {
                try handle.write(contentsOf: bytes)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw UserError("\(path): cannot write: \(error.localizedDescription)")
        }
        if rename(temp.path, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw UserError("\(path): cannot write: \(reason)")
        }
    }
}
