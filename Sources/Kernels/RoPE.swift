import Foundation

// Rotary position embedding (RoFormer): inside attention, each pair (2i, 2i+1) of a head's query
// and key is rotated by the angle p·θᵢ, θᵢ = 10000^(−2i/HS). The score q·k then depends on the
// positions only through their difference.

/// cos and sin of p·θᵢ, each (T, HS/2).
public struct RotaryTable: Sendable {
    public let cos: [Float]
    public let sin: [Float]
    public let half: Int

    public init(contextLength T: Int, headSize HS: Int) {
        half = HS / 2
        var c = [Float](repeating: 0, count: T * half), s = c
        for p in 0..<T {
            for i in 0..<half {
                let angle = Double(p) * pow(10000, -2 * Double(i) / Double(HS))
                c[p * half + i] = Float(Foundation.cos(angle))
                s[p * half + i] = Float(Foundation.sin(angle))
            }
        }
        cos = c
        sin = s
    }
}

/// Rotates, in place, the q and k parts of qkv (B, T, 3C) for positions offset..offset+T−1.
public func ropeForward(_ qkv: UnsafeMutablePointer<Float>, _ table: RotaryTable,
                 B: Int, T: Int, C: Int, NH: Int, positionOffset: Int = 0) {
    rotate(qkv, table, B: B, T: T, C: C, NH: NH, positionOffset: positionOffset, sign: 1)
}

/// Rotation is orthogonal: the gradient flows back through the inverse rotation, in place on dqkv.
public func ropeBackward(_ dqkv: UnsafeMutablePointer<Float>, _ table: RotaryTable, B: Int, T: Int, C: Int, NH: Int) {
    rotate(dqkv, table, B: B, T: T, C: C, NH: NH, positionOffset: 0, sign: -1)
}

private func rotate(_ qkv: UnsafeMutablePointer<Float>, _ table: RotaryTable,
                    B: Int, T: Int, C: Int, NH: Int, positionOffset: Int, sign: Float) {
    let HS = C / NH, half = HS / 2
    table.cos.withUnsafeBufferPointer { cosp in
        table.sin.withUnsafeBufferPointer { sinp in
            for b in 0..<B {
                for t in 0..<T {
                    let row = qkv + (b * T + t) * 3 * C
                    let cs = cosp.baseAddress! + (positionOffset + t) * half
                    let sn = sinp.baseAddress! + (positionOffset + t) * half
                    for part in 0..<2 {  // q, then k; v is not rotated
                        for h in 0..<NH {
                            let x = row + part * C + h * HS
                            for i in 0..<half {
                                let x0 = x[2 * i], x1 = x[2 * i + 1]
                                let c = cs[i], s = sign * sn[i]
                                x[2 * i] = x0 * c - x1 * s
                                x[2 * i + 1] = x0 * s + x1 * c
                            }
                        }
                    }
                }
            }
        }
    }
}
