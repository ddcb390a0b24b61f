import Foundation

/// Reusable byte buffers for rasterising and encoding, so a figure set does not fault in fresh
/// pages for every 2× PNG (an 8 MB surface plus the filtered rows and the compressed output;
/// the kernel's page clearing measured as much time as the rasteriser).
final class ScratchBuffers: @unchecked Sendable {
    static let shared = ScratchBuffers()

    private let lock = NSLock()
    private var free: [(pointer: UnsafeMutableRawPointer, count: Int)] = []

    /// Calls `body` with a buffer of at least `count` bytes (contents undefined), then keeps
    /// it for the next caller. Buffers are never shared between concurrent callers.
    func with<R>(_ count: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let buffer = take(max(1, count))
        defer { give(buffer) }
        return try body(buffer.pointer)
    }

    private func take(_ count: Int) -> (pointer: UnsafeMutableRawPointer, count: Int) {
        lock.lock()
        defer { lock.unlock() }
        if let i = free.firstIndex(where: { $0.count >= count }) { return free.remove(at: i) }
        if !free.isEmpty { free.removeFirst().pointer.deallocate() }  // too small: replace it
        return (UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64), count)
    }

    private func give(_ buffer: (pointer: UnsafeMutableRawPointer, count: Int)) {
        lock.lock()
        defer { lock.unlock() }
        // A few buffers cover the surface, the rows and the output of one or two threads.
        if free.count < 6 { free.append(buffer) } else { buffer.pointer.deallocate() }
    }
}
