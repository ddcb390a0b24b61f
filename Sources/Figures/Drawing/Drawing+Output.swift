import CCairo
import Foundation

extension Drawing {
    /// PNG bytes at `scale` pixels per point (1 for screen, 2 for high-density screens/print);
    /// `metadata` (a `Provenance.json`) goes into an `iTXt` chunk keyed `gptx-provenance`.
    ///
    /// ```swift
    /// let bytes = try drawing.png(scale: 2)   // 2 px per pt
    /// ```
    public func png(scale: Double = 1, metadata: String? = nil) throws -> Data {
        let fonts = try FontLibrary.shared.get()
        let w = Int32((size.width * scale).rounded(.up)), h = Int32((size.height * scale).rounded(.up))
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, w))
        return try ScratchBuffers.shared.with(stride * Int(h)) { pixels in
            // A transparent page to start from, as a fresh surface would be.
            pixels.initializeMemory(as: UInt8.self, repeating: 0, count: stride * Int(h))
            let surface = cairo_image_surface_create_for_data(pixels.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32,
                                                              w, h, Int32(stride))
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            let cr = cairo_create(surface)!
            defer { cairo_destroy(cr) }
            cairo_scale(cr, scale, scale)
            try CairoRenderer(fonts: fonts).render(self, on: cr)
            cairo_surface_flush(surface)
            return try PNGEncoder.encode(surface: surface!, text: metadata.map { (Provenance.key, $0) })
        }
    }

    /// SVG 1.1 bytes with `viewBox`, `<title>` and `<desc>`, and `<metadata id="gptx-provenance">`
    /// holding `metadata` (a `Provenance.json`) when given; text is drawn as glyph outlines.
    ///
    /// ```swift
    /// try drawing.svg().write(to: url)
    /// ```
    public func svg(metadata: String? = nil) throws -> Data {
        let fonts = try FontLibrary.shared.get()
        let sink = ByteSink()
        try withExtendedLifetime(sink) {
            let surface = cairo_svg_surface_create_for_stream(ByteSink.write, sink.closure,
                                                              size.width, size.height)
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
            try draw(on: surface, fonts)
        }
        return Data(SVGPostProcessor.process([UInt8](sink.data), title: title, description: description,
                                               metadata: metadata.map { (Provenance.key, $0) }))
    }

    /// PDF bytes; the creation date is fixed so the same drawing gives the same file.
    ///
    /// ```swift
    /// try drawing.pdf().write(to: url)
    /// ```
    public func pdf() throws -> Data {
        let fonts = try FontLibrary.shared.get()
        let sink = ByteSink()
        try withExtendedLifetime(sink) {
            let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.closure,
                                                              size.width, size.height)
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, description)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z")
            try draw(on: surface, fonts)
        }
        return sink.data
    }

    /// Renders onto a vector surface and finishes it (which flushes all output to the sink).
    private func draw(on surface: OpaquePointer?, _ fonts: FontLibrary) throws {
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        try CairoRenderer(fonts: fonts).render(self, on: cr)
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface))
    }
}
