import Foundation
import Testing
@testable import Figures

@Test func scratch() throws {
    var d = Drawing(size: Size(width: 300, height: 120), title: "t", description: "d", background: .white)
    d.items.append(.rect(Rect(x: 10, y: 10, width: 80, height: 80), fill: Color(hex: 0x0072B2), stroke: Stroke(color: .black, width: 2, dash: [4, 2]), cornerRadius: 6))
    d.items.append(.text(Label("Hello 中文 −∞ gy", at: Point(x: 100, y: 50), size: 18)))
    d.items.append(.text(Label("rot", at: Point(x: 280, y: 100), size: 12, weight: .bold, rotation: -90)))
    try d.png(scale: 2).write(to: URL(fileURLWithPath: "/tmp/fig/scratch.png"))
    var e = d; e.items.append(.text(Label("other 字", at: Point(x: 10, y: 110), size: 9)))
    _ = try e.svg()
    try d.svg().write(to: URL(fileURLWithPath: "/tmp/fig/scratch.svg"))
    try d.pdf().write(to: URL(fileURLWithPath: "/tmp/fig/scratch.pdf"))
    try e.pdf().write(to: URL(fileURLWithPath: "/tmp/fig/scratch2.pdf"))
    try d.pdf().write(to: URL(fileURLWithPath: "/tmp/fig/scratch3.pdf"))
}
