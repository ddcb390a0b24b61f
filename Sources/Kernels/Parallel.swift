import Dispatch
import Foundation
import Synchronization

// Two cores, tiny tensors: threads pay only on the big products of a training step. Work is split
// into fixed, contiguous chunks that never share an output element, so the result is the same
// bits whatever the thread count or timing.

/// Worker threads for the kernels (1 disables threading). `GPTX_THREADS` overrides.
nonisolated(unsafe) public var kernelThreads: Int = {
    if let s = ProcessInfo.processInfo.environment["GPTX_THREADS"], let n = Int(s), n >= 1 { return min(n, 8) }
    return min(2, ProcessInfo.processInfo.activeProcessorCount)
}()

/// Calls `body` on contiguous sub-ranges of 0..<n, in parallel when `work` (≈ flops) is large
/// enough to pay for a hand-off. Chunk boundaries are multiples of `align`.
@inline(__always)
func parallelChunks(_ n: Int, work: Int, align: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = kernelThreads
    guard threads > 1, work >= 1 << 17, n >= 2 * align else { body(0..<n); return }
    // Eight chunks per thread, taken first come first served: a thread that is slowed down (another
    // process on its core, a late wake-up) takes fewer instead of holding up the others, and the
    // last chunk, which one thread runs while the other waits, is small (four per thread: the
    // caller spent 4.8 % of a reference step waiting there, eight: 3.3 %).
    let per = max(align, (n + 8 * threads - 1) / (8 * threads))
    let chunk = (per + align - 1) / align * align
    let count = (n + chunk - 1) / chunk
    withoutActuallyEscaping(body) { body in
        let run: (Int) -> Void = { i in body((i * chunk)..<min(n, (i + 1) * chunk)) }
        // The chunks write disjoint memory; the closure itself is only read.
        if !WorkerPool.shared.run(count, threads: threads, run) {
            for i in 0..<count { run(i) }   // the pool is busy with another caller's chunks
        }
    }
}

/// `parallelChunks` for callers outside the kernels (the trace's per-layer copies): the same
/// chunks, the same pool.
public func parallelRanges(_ n: Int, work: Int, _ body: (Range<Int>) -> Void) {
    parallelChunks(n, work: work, body)
}

/// Kernel calls come by the hundred per training step and last tens of microseconds, so waking a
/// parked thread for each (what `DispatchQueue.concurrentPerform` does) costs a good share of the
/// step. The pool's workers spin for a short while (~0.1 ms) after each job, and only then park.
///
/// Every worker takes part in every job and checks out at its end, and `run` returns only after
/// all have: no worker touches a job (whose closure lives on the caller's stack) after `run`.
/// One caller at a time: a thread that calls while a job runs gets `false` and runs its chunks
/// itself (same bits either way).
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private final class Worker: @unchecked Sendable {
        let parked = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let nextChunk = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private nonisolated(unsafe) var workers: [Worker] = []
    // Written by the caller before `generation` is bumped, read by workers after they see it.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var chunks = 0

    /// Runs `job(i)` for i in 0..<count on the caller and `threads − 1` workers; false if busy.
    func run(_ count: Int, threads: Int, _ job: @escaping (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return false }
        defer { busy.store(false, ordering: .sequentiallyConsistent) }
        while workers.count < threads - 1 { startWorker() }
        self.job = job
        chunks = count
        nextChunk.store(0, ordering: .sequentiallyConsistent)
        pending.store(workers.count, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        for w in workers where w.parked.exchange(false, ordering: .sequentiallyConsistent) { w.wake.signal() }
        work()
        while pending.load(ordering: .sequentiallyConsistent) > 0 {}
        self.job = nil
        return true
    }

    /// Takes chunks until none are left.
    private func work() {
        let job = self.job!, count = chunks
        while true {
            let i = nextChunk.add(1, ordering: .sequentiallyConsistent).oldValue
            if i >= count { return }
            job(i)
        }
    }

    private func startWorker() {
        let me = Worker()
        workers.append(me)
        // Read here, before `run` bumps it for the job this worker must join.
        let initial = generation.load(ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in
            var seen = initial
            while true {
                var spins = 0
                while generation.load(ordering: .sequentiallyConsistent) == seen {
                    spins += 1
                    if spins < 100_000 { continue }
                    // Park. `run` bumps the generation, then clears `parked` and signals; if the
                    // bump came in between, whoever clears `parked` decides who consumes the signal.
                    me.parked.store(true, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) != seen {
                        if !me.parked.exchange(false, ordering: .sequentiallyConsistent) { me.wake.wait() }
                        break
                    }
                    me.wake.wait()
                    spins = 0
                }
                seen = generation.load(ordering: .sequentiallyConsistent)
                work()
                pending.subtract(1, ordering: .sequentiallyConsistent)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
