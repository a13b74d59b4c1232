import Foundation
import Hummingbird
import Portal

/// Who is reading the page being rendered, for its header: "Se connecter" (back to this path
/// after sign-in) or the signed-in user's name and menu. A task-local value, so every page's
/// chrome reads it without each controller passing it along.
///
/// Bound per request (`PageVisitorMiddleware`), with the path alone for a visitor (the menu
/// marks the section read); the cache renders its shared copy as an anonymous visitor of that
/// path, whoever's request renders it, so no user's name can reach it.
struct PageVisitor: Sendable {
    /// The path of the page, where sign-in returns to.
    let path: String
    let user: SignedInUser?

    @TaskLocal static var current: PageVisitor?
}

/// Binds `PageVisitor.current` for every page request: the signed-in user, or nobody.
struct PageVisitorMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await PageVisitor.$current.withValue(PageVisitor(path: request.uri.path, user: context.identity?.user)) {
            try await next(request, context)
        }
    }
}
