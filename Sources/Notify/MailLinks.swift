/// Links in mails open in the reader's language, whatever their browser prefers: an English
/// subscriber's unsubscribe page once opened in French. The site remembers a `?lang=` choice.
public enum MailLinks {
    public static func localized(_ link: String, language: String) -> String {
        let code = language == "en" ? "en" : "fr"
        return link + (link.contains("?") ? "&" : "?") + "lang=" + code
    }
}
