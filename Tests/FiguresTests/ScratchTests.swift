import Foundation
import Testing
@testable import Figures

func save(_ d: Drawing, _ name: String, scale: Double = 1) throws {
    try d.png(scale: scale).write(to: URL(fileURLWithPath: "/tmp/fig/\(name).png"))
}

@Test func scratch() throws {
    let toks = ["The", "␣cat", "␣sat", "␣on", "␣the", "␣mat"]
    var v: [[Double]] = []
    for r in 0..<6 { v.append((0..<6).map { c in c > r ? -.infinity : sin(Double(r * 7 + c)) * 2 }) }
    try save(Heatmap(values: v, rowLabels: toks, columnLabels: toks, coloring: .diverging(), rowTitle: "query position", columnTitle: "key position", colorBarTitle: "score").drawing(size: .halfSlide, theme: .light, title: "t", description: "d"), "hm6")
    let zh = (0..<8).map { "很长的中文标签第\($0)个词元" }
    let v8 = (0..<8).map { r in (0..<8).map { c in Double((r * 8 + c) % 13) / 13 } }
    try save(Heatmap(values: v8, rowLabels: zh, columnLabels: zh).drawing(size: .slide16x9, theme: .dark, title: "t", description: "d"), "hm8")
    let v64 = (0..<64).map { r in (0..<64).map { c in c > r ? -.infinity : cos(Double(r * c) / 50) } }
    let l64 = (0..<64).map { "token\($0)" }
    try save(Heatmap(values: v64, rowLabels: l64, columnLabels: l64, coloring: .diverging()).drawing(size: .slide16x9, theme: .print, title: "t", description: "d"), "hm64")
    try save(Heatmap(values: [[0.5]], rowLabels: ["唯一"], columnLabels: ["一个非常非常长的中文标签"]).drawing(size: Size(width: 240, height: 160), theme: .light, title: "t", description: "d"), "hm1")
}
