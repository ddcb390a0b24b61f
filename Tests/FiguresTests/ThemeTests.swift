import Foundation
import Testing
@testable import Figures

@Suite struct ThemeTests {
    @Test func viridisIsThePublishedTable() {
        #expect(ViridisTable.rgb.count == 256)
        #expect(Colormap.viridis.color(at: 0) == Color(red: 0.267004, green: 0.004874, blue: 0.329415))
        #expect(Colormap.viridis.color(at: 1) == Color(red: 0.993248, green: 0.906157, blue: 0.143936))
        // Perceptually ordered: luminance rises monotonically along the map.
        let lum = (0...32).map { Colormap.viridis.color(at: Double($0) / 32).luminance }
        #expect(zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func divergingIsSymmetricAroundZero() {
        let s = ColorScale.diverging(values: [-0.5, 2, .infinity, .nan])
        #expect(s.lower == -2 && s.upper == 2)
        #expect(s.fraction(0) == 0.5)
        let mid = s.color(for: 0)
        #expect(mid.red > 0.9 && mid.green > 0.9 && mid.blue > 0.9)
        #expect(s.color(for: -2).blue > s.color(for: -2).red)
    }

    @Test func printThemeMapsAreMonotoneInLightness() {
        for map in [Theme.print.sequential, Theme.print.diverging] {
            let lum = (0...16).map { map.color(at: Double($0) / 16).luminance }
            let up = zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 }
            let down = zip(lum, lum.dropFirst()).allSatisfy { $0 > $1 }
            #expect(up || down, "\(map.name) is not monotone in lightness")
        }
    }

    @Test func okabeIto() {
        #expect(Theme.okabeIto.count == 8)
        #expect(Theme.okabeIto.contains(Color(hex: 0xE69F00)))
    }

    @Test func niceTicks() {
        #expect(NiceTicks.linear(0, 0.93, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(NiceTicks.log(1.1, 5.3) == [1, 2, 5, 10])
        #expect(NiceTicks.log(0.003, 400) == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
    }

    @Test func pageSizes() {
        #expect(abs(Size.slide16x9.width / Size.slide16x9.height - 16.0 / 9) < 1e-9)
        #expect(abs(Size.a4Portrait.width - 595.2756) < 0.01)
    }
}
