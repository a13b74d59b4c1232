// Live help on portal forms; the server checks everything again.
(function () {
  var password = document.getElementById("password");
  var policy = document.getElementById("policy");
  if (password && policy) {
    var rules = {
      password_rule_length: function (p) { return p.length >= 8; },
      password_rule_uppercase: function (p) { return /\p{Lu}/u.test(p); },
      password_rule_lowercase: function (p) { return /\p{Ll}/u.test(p); },
      password_rule_digit: function (p) { return /\p{N}/u.test(p); },
      password_rule_special: function (p) { return /[^\p{L}\p{N}\s]/u.test(p); }
    };
    var ok = document.getElementById("policy-ok");
    var check = function () {
      var all = true;
      policy.querySelectorAll("li").forEach(function (item) {
        var holds = rules[item.dataset.rule](password.value);
        item.classList.toggle("met", holds);
        all = all && holds;
      });
      if (ok) { ok.hidden = !all; }
    };
    password.addEventListener("input", check);
    check();
  }
  var emails = document.getElementById("emails");
  var count = document.getElementById("emails-count");
  if (emails && count) {
    var update = function () {
      var n = emails.value.split(/[,;\n]/).filter(function (s) { return s.trim() !== ""; }).length;
      count.textContent = count.dataset.template.replace("%d", n);
    };
    emails.addEventListener("input", update);
    update();
  }
})();
// The knowledge base's search refreshes its results while the user types (the last word
// matches as a prefix); without JavaScript the form is submitted as usual.
(function () {
  // On a phone the filters fold under their title, so the results come first on the screen.
  var facets = document.getElementById("kb-facets");
  if (facets && window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) { facets.open = false; }
  var form = document.getElementById("kb-search");
  var box = document.getElementById("kb-q");
  var results = document.getElementById("kb-results");
  if (!form || !box || !results || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var latest = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (box.value.trim().length === 1) { return; }
      var address = "/kb?" + new URLSearchParams(new FormData(form)).toString();
      var asked = ++latest;
      fetch(address, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || asked !== latest) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("kb-results");
        if (!fresh) { return; }
        results.replaceChildren.apply(results, Array.from(fresh.childNodes));
        var folded = document.getElementById("kb-facets");
        if (folded && window.matchMedia("(max-width: 50rem)").matches) { folded.open = false; }
        history.replaceState(null, "", address);
      }).catch(function () {});
    }, 250);
  });
})();
