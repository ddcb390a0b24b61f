import Foundation

// Token embedding plus an additive position table (learned wpe, or the fixed sinusoids).

/// out (B, T, C) = wte[inp[b, t]] + pos[t] (pos may be nil: RoPE adds no position vector).
public func embeddingForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Int32>,
                      _ wte: UnsafePointer<Float>, _ pos: UnsafePointer<Float>?,
                      B: Int, T: Int, C: Int, positionOffset: Int = 0) {
    for b in 0..<B {
        for t in 0..<T {
            let o = out + (b * T + t) * C
            let e = wte + Int(inp[b * T + t]) * C
            if let pos {
                residualForward(o, e, pos + (positionOffset + t) * C, C)
            } else {
                o.update(from: e, count: C)
            }
        }
    }
}

/// dwte[inp[b, t]] += dout[b, t]; dwpe[t] += dout[b, t] when the table is learned.
public func embeddingBackward(_ dwte: UnsafeMutablePointer<Float>, _ dwpe: UnsafeMutablePointer<Float>?,
                       _ dout: UnsafePointer<Float>, _ inp: UnsafePointer<Int32>, B: Int, T: Int, C: Int) {
    for b in 0..<B {
        for t in 0..<T {
            let d = dout + (b * T + t) * C
            axpy(1, d, dwte + Int(inp[b * T + t]) * C, C)
            if let dwpe { axpy(1, d, dwpe + t * C, C) }
        }
    }
}

/// The sinusoidal table of "Attention Is All You Need", (T, C):
/// PE[p, 2i] = sin(p / 10000^(2i/C)), PE[p, 2i+1] = cos(p / 10000^(2i/C)).
public func sinusoidalPositions(contextLength T: Int, width C: Int) -> [Float] {
    var table = [Float](repeating: 0, count: T * C)
    for p in 0..<T {
        for i in stride(from: 0, to: C, by: 2) {
            let angle = Double(p) / pow(10000, Double(i) / Double(C))
            table[p * C + i] = Float(sin(angle))
            if i + 1 < C { table[p * C + i + 1] = Float(cos(angle)) }
        }
    }
    return table
}
