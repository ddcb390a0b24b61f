/// A problem with what the user gave us (a file, a flag, a prompt), as one line they can act on.
///
/// The command line prints `message` alone on stderr and exits with status 2. The message names
/// the thing that is wrong and what is allowed, e.g.
/// `--top-p 1.5 is out of range: allowed 0 < p ≤ 1`.
public struct UserError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
