import Foundation
import Hummingbird
import Portal

/// Who is reading the page being rendered, for its header: "Se connecter" (back to this path
/// after sign-in) or the signed-in user's name and menu. A task-local value, so every page's
/// chrome reads it without each controller passing it along.
///
/// Bound per request only for signed-in users (`PageVisitorMiddleware`): anonymous requests
/// to the cached pages bind nothing, and the cache renders its shared copy as an anonymous
/// visitor of that path, so no user's name can reach it.
struct PageVisitor: Sendable {
    /// The path of the page, where sign-in returns to.
    let path: String
    let user: SignedInUser?

    @TaskLocal static var current: PageVisitor?
}

/// Binds `PageVisitor.current` for a signed-in request; lets anonymous ones through untouched.
struct PageVisitorMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.identity?.user else { return try await next(request, context) }
        return try await PageVisitor.$current.withValue(PageVisitor(path: request.uri.path, user: user)) {
            try await next(request, context)
        }
    }
}

/// The header's menu of a signed-in user: their name, their account, administration for a
/// tenant's administrators, the console for operators, and sign-out (a POST with the CSRF token).
struct AccountMenu {
    let name: String
    let admin: Bool
    let console: Bool
    /// Agents and operators write the knowledge base's articles.
    let articles: Bool
    /// A user of a customer account: "Besoin d'aide ?" and "Mes demandes".
    let customer: Bool
    let csrf: String

    init(_ signedIn: SignedInUser) {
        let name = signedIn.user.displayName.trimmingCharacters(in: .whitespaces)
        self.name = name.isEmpty ? signedIn.user.email : name
        admin = signedIn.role == .admin
        console = signedIn.user.staffRole == .operator_
        articles = signedIn.user.staffRole != nil
        customer = signedIn.tenant != nil
        csrf = signedIn.csrfToken
    }
}
