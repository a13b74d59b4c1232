import Foundation
import Hummingbird
import Portal

/// Search, filters and paging of the user list, from the query string. The filters in force
/// are shown as selected options and as chips, each removable on its own.
struct MemberQuery {
    static let pageSizes = [10, 25, 50]
    /// Far more pages than any tenant has users: a bound so `page * perPage` cannot overflow.
    static let maxPage = 100_000

    let search: String
    /// A `User.State`, or nil for every state.
    let state: User.State?
    /// A membership role, or nil for both.
    let role: Membership.Role?
    let perPage: Int
    /// From 0.
    let page: Int

    /// A page number or size out of range is a 400 (never arithmetic on whatever was sent).
    /// `filter=pending` and `filter=nonadmin`, the old list's one filter, still work.
    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        search = String((query.get("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        let legacy = query.get("filter") ?? ""
        state = User.State(rawValue: query.get("state") ?? "") ?? (legacy == "pending" ? .pending : nil)
        role = Membership.Role(rawValue: query.get("role") ?? "") ?? (legacy == "nonadmin" ? .member : nil)
        perPage = try Self.number(query.get("per"), fallback: 10) { Self.pageSizes.contains($0) }
        page = try Self.number(query.get("page"), fallback: 1) { (1...Self.maxPage).contains($0) } - 1
    }

    private static func number(_ text: String?, fallback: Int, isValid: (Int) -> Bool) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), isValid(value) else { throw HTTPError(.badRequest, message: "A page number or size is out of range.") }
        return value
    }

    var isFiltered: Bool { !search.isEmpty || state != nil || role != nil }

    func apply(to members: [(user: User, role: Membership.Role)]) -> (page: [(user: User, role: Membership.Role)], total: Int) {
        let needle = search.lowercased()
        let matching = members.filter { member in
            (needle.isEmpty || member.user.email.lowercased().contains(needle) || member.user.displayName.lowercased().contains(needle))
                && (state == nil || member.user.state == state)
                && (role == nil || member.role == role)
        }
        return (Array(matching.dropFirst(page * perPage).prefix(perPage)), matching.count)
    }

    /// The list's address with these filters, minus `dropping` (a chip's ×), from page 1 unless `page` is given.
    func href(dropping: String? = nil, page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        if !search.isEmpty, dropping != "q" { items.append(URLQueryItem(name: "q", value: search)) }
        if let state, dropping != "state" { items.append(URLQueryItem(name: "state", value: state.rawValue)) }
        if let role, dropping != "role" { items.append(URLQueryItem(name: "role", value: role.rawValue)) }
        if perPage != 10 { items.append(URLQueryItem(name: "per", value: String(perPage))) }
        if let page, page > 0 { items.append(URLQueryItem(name: "page", value: String(page + 1))) }
        var components = URLComponents()
        components.path = "/admin/users"
        components.queryItems = items.isEmpty ? nil : items
        // "+" reads as a space in a query: spell it out, so a search for "a+b" comes back as typed.
        return (components.string ?? "/admin/users").replacingOccurrences(of: "+", with: "%2B")
    }
}
