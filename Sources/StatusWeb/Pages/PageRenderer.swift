import Foundation
import Mustache

/// Renders the Mustache templates shipped with StatusWeb. `{{x}}` escapes HTML; no user
/// text ever goes through `{{{x}}}`.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    public static func bundled() async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw RenderError(template: "Templates", message: "the templates folder is missing from the bundle")
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory.path))
    }

    func render(_ view: Any, template: String) throws -> String {
        guard let html = library.render(view, withTemplate: template) else {
            throw RenderError(template: template, message: "no such template")
        }
        return html
    }

    struct RenderError: Error, CustomStringConvertible {
        let template: String
        let message: String
        var description: String { "template \(template): \(message)" }
    }
}
