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
