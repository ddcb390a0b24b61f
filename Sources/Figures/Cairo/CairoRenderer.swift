import CCairo
import Foundation

/// Replays a `Drawing`'s display list on a cairo context. The only place primitives meet cairo.
struct CairoRenderer {
    let fonts: FontLibrary

    /// Draws `drawing` on `cr` in points (the caller applies any pixel scale first).
    func render(_ drawing: Drawing, on cr: OpaquePointer) throws {
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        if let bg = drawing.background {
            setColor(bg, cr)
            cairo_paint(cr)
        }
        draw(drawing.items, cr)
        try check(cairo_status(cr))
    }

    private func draw(_ items: [Primitive], _ cr: OpaquePointer) {
        for item in items {
            switch item {
            case .rect(let r, let fill, let stroke, let radius):
                rectPath(r, radius, cr)
                paint(fill, stroke, cr)
            case .path(let p, let fill, let stroke):
                cairo_new_path(cr)
                for e in p.elements {
                    switch e {
                    case .move(let a): cairo_move_to(cr, a.x, a.y)
                    case .line(let a): cairo_line_to(cr, a.x, a.y)
                    case .curve(let a, let b, let c): cairo_curve_to(cr, a.x, a.y, b.x, b.y, c.x, c.y)
                    case .close: cairo_close_path(cr)
                    }
                }
                paint(fill, stroke, cr)
            case .circle(let c, let radius, let fill, let stroke):
                cairo_new_path(cr)
                cairo_arc(cr, c.x, c.y, radius, 0, 2 * Double.pi)
                cairo_close_path(cr)
                paint(fill, stroke, cr)
            case .text(let label):
                text(label, cr)
            case .group(let g):
                cairo_save(cr)
                cairo_translate(cr, g.translation.x, g.translation.y)
                if let clip = g.clip {
                    cairo_new_path(cr)
                    cairo_rectangle(cr, clip.minX, clip.minY, clip.width, clip.height)
                    cairo_clip(cr)
                }
                draw(g.items, cr)
                cairo_restore(cr)
            }
        }
    }

    private func rectPath(_ r: Rect, _ radius: Double, _ cr: OpaquePointer) {
        cairo_new_path(cr)
        let rad = min(radius, r.width / 2, r.height / 2)
        guard rad > 0 else {
            cairo_rectangle(cr, r.minX, r.minY, r.width, r.height)
            return
        }
        let h = Double.pi / 2
        cairo_arc(cr, r.maxX - rad, r.minY + rad, rad, -h, 0)
        cairo_arc(cr, r.maxX - rad, r.maxY - rad, rad, 0, h)
        cairo_arc(cr, r.minX + rad, r.maxY - rad, rad, h, 2 * h)
        cairo_arc(cr, r.minX + rad, r.minY + rad, rad, 2 * h, 3 * h)
        cairo_close_path(cr)
    }

    private func paint(_ fill: Color?, _ stroke: Stroke?, _ cr: OpaquePointer) {
        if let fill {
            setColor(fill, cr)
            if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke {
            setColor(stroke.color, cr)
            cairo_set_line_width(cr, stroke.width)
            cairo_set_dash(cr, stroke.dash, Int32(stroke.dash.count), 0)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    private func text(_ label: Label, _ cr: OpaquePointer) {
        guard !label.text.isEmpty else { return }
        let extent = fonts.measure(label.text, size: label.size, weight: label.weight)
        let o = label.baselineOffset(extent)
        cairo_save(cr)
        cairo_translate(cr, label.position.x, label.position.y)
        if label.rotation != 0 { cairo_rotate(cr, label.rotation * Double.pi / 180) }
        fonts.select(label.weight, size: label.size, on: cr)
        setColor(label.color, cr)
        cairo_new_path(cr)
        cairo_move_to(cr, o.x, o.y)
        cairo_show_text(cr, label.text)
        cairo_restore(cr)
    }

    private func setColor(_ c: Color, _ cr: OpaquePointer) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }
}

/// Turns a cairo status into a thrown error.
func check(_ status: cairo_status_t) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw FigureError.cairo(String(cString: cairo_status_to_string(status)))
    }
}
