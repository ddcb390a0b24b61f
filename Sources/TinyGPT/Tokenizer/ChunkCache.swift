import Foundation

/// Remembers the ids of chunks already encoded. Text repeats its words, so most chunks of a
/// corpus are cache hits and skip the merge loop.
///
/// Keyed by scalars, not `String`: two canonically equivalent strings are `==` but must keep
/// their own bytes. Shared by copies of a ``Tokenizer`` (a reference inside a value type), so
/// guarded by a lock; cleared when it grows past `limit` so memory stays bounded.
final class ChunkCache: @unchecked Sendable {
    private var table: [[Unicode.Scalar]: [Int]] = [:]
    private let lock = NSLock()
    private let limit: Int

    init(limit: Int = 1 << 16) { self.limit = limit }

    func ids(for chunk: [Unicode.Scalar]) -> [Int]? {
        lock.lock(); defer { lock.unlock() }
        return table[chunk]
    }

    func store(_ ids: [Int], for chunk: [Unicode.Scalar]) {
        lock.lock(); defer { lock.unlock() }
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        table[chunk] = ids
    }
}
