import Foundation

/// An operator's key for the write routes of the API: named, shown once, stored hashed,
/// revocable. It acts for the operator who made it, and only while they are an operator.
public struct StaffKey: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// The operator who created it: the key works only while that user keeps the role.
    public var userID: Int64
    /// The creator's email, for the list of keys.
    public var userEmail: String
    public var name: String
    /// The first characters of the key, so operators can tell their keys apart.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, userID: Int64, userEmail: String = "", name: String, prefix: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.userEmail = userEmail
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
