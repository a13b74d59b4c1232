import StatusModel
import Testing

/// The `database:` key and `STATUSD_DATABASE_URL`: a PostgreSQL address is read whole or
/// refused with what is wrong with it.
@Suite("PostgreSQL address")
struct PostgresAddressTests {
    @Test("A full address is read, its password kept out of its description")
    func fullAddress() throws {
        let address = try PostgresAddress(url: "postgres://statusd:s%40cret@db.internal:6432/statusd?sslmode=require")
        #expect(address == PostgresAddress(host: "db.internal", port: 6432, username: "statusd", password: "s@cret", database: "statusd", tls: .require))
        #expect(address.description == "postgres://statusd@db.internal:6432/statusd")
        #expect(!address.description.contains("cret"))
    }

    @Test("Port and TLS have libpq's defaults")
    func defaults() throws {
        let address = try PostgresAddress(url: "postgresql://app@localhost/status")
        #expect(address.port == 5432)
        #expect(address.tls == .prefer)
        #expect(address.password == nil)
    }

    @Test("A bad address says what is wrong", arguments: [
        ("mysql://u@h/d", "starts with \"mysql://\""),
        ("postgres://h/d", "names no user"),
        ("postgres://u@h", "names no database"),
        ("postgres://u@h/d?sslmode=maybe", "sslmode=maybe"),
        ("postgres://u@h/d?timeout=3", "unknown option \"timeout\""),
        ("not a url", "is not a URL"),
    ])
    func badAddress(text: String, reason: String) {
        #expect {
            try PostgresAddress(url: text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}
