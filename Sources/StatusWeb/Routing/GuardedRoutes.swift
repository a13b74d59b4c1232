import HTTPTypes
import Hummingbird
import Synchronization

/// Every route of the site with who may enter it, filled while the router is built.
public final class RouteTable: Sendable {
    /// One route: `GET /staff/incidents/{id}` and its access.
    public struct Entry: Sendable, Hashable {
        public let method: HTTPRequest.Method
        public let path: String
        public let access: Access
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    public var all: [Entry] { entries.withLock { $0 } }

    func record(_ method: HTTPRequest.Method, _ path: RouterPath, _ access: Access) {
        entries.withLock { $0.append(Entry(method: method, path: path.description, access: access)) }
    }
}

/// A router group that lets in only `access` and records each route it adds in the table.
/// Controllers add their routes through one of these: a route cannot be added without
/// saying who may enter it.
struct GuardedRoutes: RouterMethods {
    typealias Context = StatusRequestContext
    private let group: RouterGroup<Context>
    /// The parent's full path, so the table holds the paths the router matches.
    private let base: RouterPath
    let access: Access
    private let table: RouteTable

    init(_ parent: RouterGroup<Context>, base: RouterPath, access: Access, table: RouteTable) {
        let group = parent.group()
        for guardMiddleware in access.guards() { group.add(middleware: guardMiddleware) }
        self.group = group
        self.base = base
        self.access = access
        self.table = table
    }

    @discardableResult func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> GuardedRoutes {
        group.add(middleware: middleware)
        return self
    }

    @discardableResult func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> GuardedRoutes
    where Responder.Context == Context {
        table.record(method, base.appendingPath(path), access)
        group.on(path, method: method, responder: responder)
        return self
    }
}

/// What controllers add their routes to: the site's pages (session identity) and the API
/// (bearer identity), each opened per access level.
struct SiteRoutes {
    let pages: RouterGroup<StatusRequestContext>
    let api: RouterGroup<StatusRequestContext>
    let table: RouteTable

    /// The pages' routes open to `access`.
    func pages(_ access: Access) -> GuardedRoutes { GuardedRoutes(pages, base: "", access: access, table: table) }

    /// `/api/v1`'s routes open to `access` (paths relative to `/api/v1`).
    func api(_ access: Access) -> GuardedRoutes { GuardedRoutes(api, base: "/api/v1", access: access, table: table) }
}
