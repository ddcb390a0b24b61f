// Small vector kernels shared by the others: dot products and axpy along a contiguous row,
// residual additions. 8 lanes with a partial last chunk, so sums keep one fixed order.

/// Σ a[i]·b[i] over n floats (8 partial sums, then lanes added in order).
@inline(__always)
public func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F8.zero
    var i = 0
    while i + 8 <= n { acc += load8(a + i) * load8(b + i); i += 8 }
    if i < n { acc += loadPartial8(a + i, n - i) * loadPartial8(b + i, n - i) }
    return acc.sum()
}

/// y[i] += alpha·x[i] over n floats.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n { store8(load8(y + i) + alpha * load8(x + i), y + i); i += 8 }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}

/// out = a + b over n floats (the residual stream: x + sublayer(x)).
public func residualForward(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n { store8(load8(a + i) + load8(b + i), out + i); i += 8 }
    while i < n { out[i] = a[i] + b[i]; i += 1 }
}
