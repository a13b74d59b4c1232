import Foundation
import StatusModel
import Testing

/// `visibility` of a product in `statusd.yaml`: the four words are read, anything else stops
/// the start with a line naming the key and the four choices.
@Suite("Config: product visibility")
struct ProductVisibilityConfigTests {
    static func yaml(_ visibility: String) -> String {
        """
        products:
          - slug: cegid-loop
            name: Cegid Loop
          - slug: yourcegid-paie
            name: Yourcegid Paie
            visibility: \(visibility)
        """
    }

    @Test("Each of the four visibilities is read; absent is public", arguments: Product.Visibility.allCases)
    func theFourAreRead(visibility: Product.Visibility) throws {
        let config = try StatusConfig.parse(yaml: Self.yaml(visibility.rawValue), file: "statusd.yaml")
        #expect(config.products.map(\.visibility) == [.public, visibility])
    }

    @Test("Another word is refused with its line, its key and the four choices")
    func anotherWordIsRefused() throws {
        let error = #expect(throws: ConfigError.self) { try StatusConfig.parse(yaml: Self.yaml("secret"), file: "statusd.yaml") }
        #expect(error?.line == 6)
        #expect(error?.key == "products[1].visibility")
        #expect(error?.description.contains("expected public, customers, private or hidden, got \"secret\"") == true, "\(String(describing: error))")
    }
}
