import Dispatch
import Foundation

// Two cores, tiny tensors: threads pay only on the big products of a training step. Work is split
// into fixed, contiguous chunks that never share an output element, so the result is the same
// bits whatever the thread count or timing.

/// Worker threads for the kernels (1 disables threading). `GPTX_THREADS` overrides.
nonisolated(unsafe) public var kernelThreads: Int = {
    if let s = ProcessInfo.processInfo.environment["GPTX_THREADS"], let n = Int(s), n >= 1 { return min(n, 8) }
    return min(2, ProcessInfo.processInfo.activeProcessorCount)
}()

/// Calls `body` on contiguous sub-ranges of 0..<n, in parallel when `work` (≈ flops) is large
/// enough to pay for waking a thread. Chunk boundaries are multiples of `align`.
@inline(__always)
func parallelChunks(_ n: Int, work: Int, align: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = kernelThreads
    guard threads > 1, work >= 1 << 18, n >= 2 * align else { body(0..<n); return }
    let per = (n + threads - 1) / threads
    let chunk = (per + align - 1) / align * align
    let count = (n + chunk - 1) / chunk
    withoutActuallyEscaping(body) { body in
        // The chunks write disjoint memory; the closure itself is only read.
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            shared.value((i * chunk)..<min(n, (i + 1) * chunk))
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
