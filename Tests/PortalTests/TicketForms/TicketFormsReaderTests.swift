import Foundation
import Portal
import StatusModel
import Testing

/// `config/ticket-forms.yaml` is read at start like the main config: the shipped file gives the
/// six types with their lists and rules, and each mistake names the file, the line and the key.
@Suite struct TicketFormsReaderTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/ticket-forms.yaml").path

    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try TicketFormsReader.parse(yaml: yaml, file: "ticket-forms.yaml")
            return nil
        } catch {
            return error
        }
    }

    static let minimal = """
        types:
          - key: portal
            label: {fr: Pour l'utilisation du portail, en: For using the portal}
            themes:
              - key: portal
                label: {fr: Portail, en: Portal}
                sub_themes:
                  - key: administration
                    label: {fr: Administration et utilisation, en: Administration and use}
                    precisions:
                      - {key: sign_in, label: {fr: 1 - Connexion, en: 1 - Signing in}}
        """

    @Test func theShippedFileHasTheSixTypesAndTheirRules() throws {
        let forms = try TicketFormsReader.load(file: Self.shipped)
        #expect(forms.types.map(\.key) == ["incident", "administrative", "application", "portal", "technical", "hardware"])
        #expect(forms.types.map(\.label.fr) == ["Pour un incident", "Pour une demande administrative", "Pour l'utilisation de mon application",
                                                "Pour l'utilisation du portail", "Pour l'environnement technique", "Pour un problème matériel"])
        let portal = try #require(forms.type("portal"))
        #expect(portal.subject(theme: "portal", subTheme: "administration", precision: "sign_in", language: "fr")
            == "Portail : Administration et utilisation - 1 - Connexion")
        #expect(portal.subject(theme: "portal", subTheme: "administration", precision: "users", language: "en")
            == "Portal : Administration and use - 2 - Managing users")
        let incident = try #require(forms.type("incident"))
        #expect(incident.asksProduct && incident.asksImpact)
        let problem = try #require(incident.fields.first { $0.key == "problem" })
        #expect(problem.kind == .choice && problem.required)
        #expect(problem.choices.map(\.label.fr).contains("J'obtiens un message d'erreur"))
        #expect(incident.fields.contains { $0.key == "error_shown" })
        #expect(forms.impacts.map(\.priority) == [.low, .moderate, .high, .critical])
        #expect(forms.priority(impact: "blocking") == .critical)
        #expect(forms.priority(impact: nil) == .low)
        #expect(forms.firstResponseHours == [.critical: 2, .high: 8, .moderate: 24, .low: 72])
    }

    @Test func aMinimalFileReads() throws {
        let forms = try TicketFormsReader.parse(yaml: Self.minimal, file: "ticket-forms.yaml")
        #expect(forms.types.count == 1)
        #expect(forms.types[0].asksProject)
        #expect(forms.defaultPriority == .low)
    }

    @Test(arguments: [
        // (yaml, line, key, words of the message)
        ("types:\n  - key: Portail\n    label: P\n", 2, "types[0].key", "lower-case"),
        ("types:\n  - key: a\n    label: A\n  - key: a\n    label: B\n", 4, "types[1].key", "already"),
        ("types:\n  - key: a\n    lable: A\n", 3, "types[0].lable", "unknown key"),
        ("types:\n  - key: a\n", 2, "types[0].label", "missing key"),
        ("types:\n  - key: a\n    label: {fr: A}\n", 3, "types[0].label.en", "English"),
        ("types:\n  - key: a\n    label: A\n    asks_impact: true\n", 2, "types[0].asks_impact", "no impacts"),
        ("impacts:\n  - key: minor\n    label: Mineur\n    priority: 7\ntypes:\n  - key: a\n    label: A\n", 4, "impacts[0].priority", "between 1 and 4"),
        ("first_response_hours:\n  5: 3\ntypes:\n  - key: a\n    label: A\n", 2, "first_response_hours.5", "unknown key"),
        ("first_response_hours:\n  1: soon\ntypes:\n  - key: a\n    label: A\n", 2, "first_response_hours.1", "whole number"),
        ("types:\n  - key: a\n    label: A\n    fields:\n      - key: description\n        label: D\n", 5, "types[0].fields[0].key", "every form has"),
        ("types:\n  - key: a\n    label: A\n    fields:\n      - key: problem\n        label: P\n        kind: choice\n", 5, "types[0].fields[0].choices", "lists its choices"),
        ("types:\n  - key: a\n    label: A\n    fields:\n      - key: problem\n        label: P\n        kind: list\n", 7, "types[0].fields[0].kind", "text, textarea or choice"),
        ("types:\n  - key: a\n    label: A\n    themes:\n      - key: t\n        label: T\n        sub_themes: []\n", 7, "types[0].themes[0].sub_themes", "at least one"),
        ("types:\n  - key: a\n    label: A\n    themes:\n      - key: t\n        label: T\n      - key: t\n        label: U\n", 7, "types[0].themes[1].key", "twice"),
        ("types: []\n", 1, "types", "at least one"),
        ("types:\n  - key: a\n    label: [A\n", 4, "", "not valid YAML"),
    ] as [(String, Int, String, String)])
    func aMistakeNamesTheFileTheLineAndTheKey(yaml: String, line: Int, key: String, words: String) throws {
        let found = try #require(error(yaml), "accepted:\n\(yaml)")
        #expect(found.file == "ticket-forms.yaml")
        #expect(found.key == key, "\(found)")
        #expect(found.line == line, "\(found)")
        #expect(found.message.contains(words), "\(found)")
    }

    @Test func anEmptyOrMissingFileIsRefused() throws {
        #expect(error("")?.key == "types")
        #expect(throws: ConfigError.self) { try TicketFormsReader.load(file: "/nonexistent/ticket-forms.yaml") }
    }
}
