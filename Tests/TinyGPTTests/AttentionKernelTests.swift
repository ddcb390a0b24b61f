import Testing
@testable import TinyGPT
@testable import Kernels

/// The attention kernels sum several queries or keys at a time (`accumulateRowsGrouped`, one copy
/// per head size). Whatever the grouping, every output must carry the bits of the plain
/// query-by-query loop: the forward those of `attentionRow` (the key/value cache's decode step),
/// the backward those of a scalar loop written here in the order the textbook derivation runs.
struct AttentionKernelTests {
    static func random(_ n: Int, _ rng: inout SplitMix64) -> [Float] { (0..<n).map { _ in Float(rng.nextNormal()) } }
    /// How many entries differ in any bit.
    static func mismatches(_ a: [Float], _ b: [Float]) -> Int {
        a.count != b.count ? max(a.count, b.count) : zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
    }

    // Head sizes with their own grouping (8, 16, 24, 32) and one without (5); T below, at and past
    // the group sizes, so the leftover queries and keys are covered.
    @Test(arguments: [5, 8, 16, 24, 32], [1, 6, 13])
    func groupedAttentionHasTheBitsOfThePlainLoop(HS: Int, T: Int) {
        let B = 2, NH = 2, C = HS * NH, C3 = 3 * C
        let scale = 1 / Float(HS).squareRoot()
        var rng = SplitMix64(seed: UInt64(HS * 100 + T))
        let qkv = Self.random(B * T * C3, &rng), dout = Self.random(B * T * C, &rng)

        // Forward, one query at a time through attentionRow.
        var outRef = [Float](repeating: 0, count: B * T * C)
        var attRef = [Float](repeating: 0, count: B * NH * T * T), preRef = attRef
        qkv.withUnsafeBufferPointer { x in
            for b in 0..<B { for h in 0..<NH { for t in 0..<T {
                let row = ((b * NH + h) * T + t) * T, seq = x.baseAddress! + b * T * C3
                attentionRow(&outRef[(b * T + t) * C + h * HS], &preRef[row], &attRef[row], seq + t * C3 + h * HS,
                             seq + C + h * HS, kStride: C3, seq + 2 * C + h * HS, vStride: C3, n: t + 1, HS: HS, scale: scale)
            } } }
        }
        // Backward: for each query t, then each key j ≤ t, in that order.
        var dRef = [Float](repeating: 0, count: B * T * C3)
        for b in 0..<B { for h in 0..<NH { for t in 0..<T {
            let a = Array(attRef[((b * NH + h) * T + t) * T..<((b * NH + h) * T + t) * T + T])
            let d = Array(dout[(b * T + t) * C + h * HS..<(b * T + t) * C + h * HS + HS])
            let base = b * T * C3, q = base + t * C3 + h * HS
            var da = [Float](repeating: 0, count: t + 1)
            for j in 0...t {
                let v = Array(qkv[base + j * C3 + 2 * C + h * HS..<base + j * C3 + 2 * C + h * HS + HS])
                da[j] = dot(d, v, HS)
            }
            var weighted: Float = 0
            for j in 0...t { weighted += a[j] * da[j] }
            for j in 0...t {
                let ds = a[j] * (da[j] - weighted) * scale
                for i in 0..<HS {
                    dRef[q + i] = dRef[q + i] + ds * qkv[base + j * C3 + C + h * HS + i]                               // dq
                    dRef[base + j * C3 + 2 * C + h * HS + i] = dRef[base + j * C3 + 2 * C + h * HS + i] + a[j] * d[i]  // dv
                    dRef[base + j * C3 + C + h * HS + i] = dRef[base + j * C3 + C + h * HS + i] + ds * qkv[q + i]      // dk
                }
            }
        } } }

        for threads in [1, 2] {
            let saved = kernelThreads
            kernelThreads = threads
            defer { kernelThreads = saved }
            var out = [Float](repeating: .nan, count: B * T * C)
            var att = [Float](repeating: .nan, count: B * NH * T * T), pre = att
            attentionForward(&out, &pre, &att, qkv, B: B, T: T, C: C, NH: NH)
            #expect(Self.mismatches(out, outRef) == 0, "forward out HS=\(HS) T=\(T) threads=\(threads)")
            #expect(Self.mismatches(att, attRef) == 0, "forward pattern HS=\(HS) T=\(T) threads=\(threads)")
            var dqkv = [Float](repeating: .nan, count: B * T * C3)   // written, not added to
            attentionBackward(&dqkv, dout, qkv, att, B: B, T: T, C: C, NH: NH)
            #expect(Self.mismatches(dqkv, dRef) == 0, "backward HS=\(HS) T=\(T) threads=\(threads)")
        }
    }
}
