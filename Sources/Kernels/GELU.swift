// GELU, tanh approximation (GPT-2): y = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).

private let geluScale: Float = 0.7978845608028654  // √(2/π)

@inline(__always)
private func geluLanes(_ x: F8) -> F8 {
    let x3: F8 = x * x * x
    let u: F8 = geluScale * (x + 0.044715 * x3)
    return 0.5 * x * (1 + tanh8(u))
}

/// out = gelu(inp) over n floats.
public func geluForward(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ n: Int) {
    // Element by element: any split between threads gives the same bits.
    parallelChunks(n, work: n * 32, align: 8) { r in
        var i = r.lowerBound
        while i + 8 <= r.upperBound { store8(geluLanes(load8(inp + i)), out + i); i += 8 }
        if i < r.upperBound { storePartial8(geluLanes(loadPartial8(inp + i, r.upperBound - i)), out + i, r.upperBound - i) }
    }
}

@inline(__always)
private func geluGradLanes(_ x: F8, _ d: F8) -> F8 {
    let x2: F8 = x * x
    let u: F8 = geluScale * (x + 0.044715 * x2 * x)
    let t: F8 = tanh8(u)
    let sech2: F8 = 1 - t * t
    let du: F8 = geluScale * (1 + 0.134145 * x2)   // d/dx of u
    let local: F8 = 0.5 * (1 + t) + 0.5 * x * sech2 * du
    return local * d
}

/// dinp = gelu'(inp) · dout over n floats (overwritten).
public func geluBackward(_ dinp: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, _ dout: UnsafePointer<Float>, _ n: Int) {
    parallelChunks(n, work: n * 40, align: 8) { r in
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            store8(geluGradLanes(load8(inp + i), load8(dout + i)), dinp + i)
            i += 8
        }
        if i < r.upperBound {
            let k = r.upperBound - i
            storePartial8(geluGradLanes(loadPartial8(inp + i, k), loadPartial8(dout + i, k)), dinp + i, k)
        }
    }
}
