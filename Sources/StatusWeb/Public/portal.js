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
// The request form (/help/new/...): without JavaScript the theme, sub-theme and precision are
// one select of paths and "Continuer" shows the rest; here they become three dependent selects
// that fill the subject, and the rest shows at once. The server checks everything again.
(function () {
  var lists = document.getElementById("ticket-lists");
  var rest = document.getElementById("ticket-rest");
  if (lists && lists.dataset.tree) {
    var path = document.getElementById("path");
    var tree = JSON.parse(lists.dataset.tree);
    var labels = (lists.dataset.labels || "").split("|");
    var choose = lists.dataset.choose || "";
    var subjectLine = document.getElementById("ticket-subject-line");
    var subject = document.getElementById("ticket-subject");
    var chosen = path.value ? path.value.split("/") : [];
    var selects = [];
    var make = function (level) {
      var id = "list-" + level;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = labels[level] || "";
      var select = document.createElement("select");
      select.id = id;
      lists.appendChild(label);
      lists.appendChild(select);
      selects.push({ label: label, select: select });
      select.addEventListener("change", function () { fill(level + 1); update(); });
    };
    var nodesAt = function (level) {
      var nodes = tree;
      for (var i = 0; i < level; i++) {
        var key = selects[i].select.value;
        var found = nodes.filter(function (n) { return n.k === key; })[0];
        if (!found || !found.c) { return null; }
        nodes = found.c;
      }
      return nodes;
    };
    var fill = function (level) {
      for (var i = level; i < 3; i++) {
        var nodes = nodesAt(i);
        var entry = selects[i];
        entry.select.replaceChildren();
        var empty = document.createElement("option");
        empty.value = "";
        empty.textContent = choose;
        entry.select.appendChild(empty);
        (nodes || []).forEach(function (n) {
          var option = document.createElement("option");
          option.value = n.k;
          option.textContent = n.l;
          entry.select.appendChild(option);
        });
        if (chosen[i] && nodes && nodes.some(function (n) { return n.k === chosen[i]; })) { entry.select.value = chosen[i]; }
        entry.select.hidden = entry.label.hidden = !nodes;
      }
      chosen = [];
    };
    var update = function () {
      var keys = [], words = [], nodes = tree;
      for (var i = 0; i < 3 && nodes; i++) {
        var key = selects[i].select.value;
        var found = nodes.filter(function (n) { return n.k === key; })[0];
        if (!found) { break; }
        keys.push(found.k);
        words.push(found.l);
        nodes = found.c;
      }
      var complete = keys.length > 0 && !nodes;
      path.value = complete ? keys.join("/") : "";
      subjectLine.hidden = !complete;
      if (complete) {
        subject.textContent = words[0] + (words[1] ? " : " + words[1] : "") + (words[2] ? " - " + words[2] : "");
      }
    };
    path.hidden = true;
    var pathLabel = lists.querySelector("label[for=path]");
    if (pathLabel) { pathLabel.hidden = true; }
    for (var level = 0; level < 3; level++) { make(level); }
    fill(0);
    update();
    var next = document.getElementById("continue");
    if (next) { next.hidden = true; }
  }
  if (rest && document.getElementById("ticket-form")) { rest.hidden = false; }

  var product = document.getElementById("product");
  if (product) {
    var showNotice = function () {
      document.querySelectorAll(".product-notice").forEach(function (notice) { notice.hidden = notice.dataset.product !== product.value; });
    };
    product.addEventListener("change", showNotice);
  }
  document.querySelectorAll("form.subscribe-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch) { return; }
      event.preventDefault();
      fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { form.submit(); return; }
        var button = document.getElementById(form.id + "-button");
        if (button) {
          var done = document.createElement("p");
          done.className = "subscribed";
          done.id = "subscribed-" + form.querySelector("input[name=product]").value;
          done.textContent = button.dataset.done;
          button.replaceWith(done);
        }
      }).catch(function () { form.submit(); });
    });
  });

  var yes = document.getElementById("project-yes"), no = document.getElementById("project-no");
  var projectChoice = document.getElementById("project-choice");
  if (yes && no && projectChoice) {
    var showProject = function () { projectChoice.hidden = !yes.checked; };
    yes.addEventListener("change", showProject);
    no.addEventListener("change", showProject);
    showProject();
  }

  var description = document.getElementById("description");
  var suggestions = document.getElementById("kb-suggestions");
  if (description && suggestions && window.fetch && window.DOMParser) {
    var searchStep = document.getElementById("kb-search-step");
    if (searchStep) { searchStep.hidden = true; }
    var timer = null, latest = 0, dismissed = false;
    description.addEventListener("input", function () {
      clearTimeout(timer);
      if (dismissed) { return; }
      timer = setTimeout(function () {
        var asked = ++latest;
        fetch("/help/articles?q=" + encodeURIComponent(description.value), { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          if (html === null || asked !== latest || dismissed) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("kb-suggestions-list");
          if (fresh) { suggestions.replaceChildren(document.importNode(fresh, true)); }
        }).catch(function () {});
      }, 400);
    });
    suggestions.addEventListener("click", function (event) {
      if (event.target && event.target.id === "kb-no") {
        event.preventDefault();
        dismissed = true;
        suggestions.replaceChildren();
        var next = document.getElementById("followUps");
        if (next) { next.focus(); }
      }
    });
  }
})();
// "Refuser la solution" opens its dialog; without JavaScript the link opens a page with the same form.
(function () {
  document.querySelectorAll("[data-dialog]").forEach(function (link) {
    var dialog = document.getElementById(link.dataset.dialog);
    if (!dialog || !dialog.showModal) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      var first = dialog.querySelector("textarea");
      if (first) { first.focus(); }
    });
    var close = dialog.querySelector("#dialog-close");
    if (close) { close.addEventListener("click", function () { dialog.close(); }); }
  });
})();
// SERVICES: the profile's Services tab. "+ Ajouter un service" opens the catalog in a dialog
// (the page /account/services/add, its panel fetched and its search and pages followed in
// place); "Ajouter" posts as on the page. "Abandonner" asks first, then posts; without
// JavaScript both links open their pages.
(function () {
  var link = document.querySelector("[data-catalog-dialog]");
  var dialog = link && document.getElementById(link.dataset.catalogDialog);
  var body = document.getElementById("service-catalog-body");
  if (link && dialog && body && dialog.showModal && window.fetch && window.DOMParser) {
    var load = function (address) {
      return fetch(address, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        var panel = html && new DOMParser().parseFromString(html, "text/html").getElementById("service-catalog-panel");
        if (!panel) { window.location.href = address; return; }
        body.replaceChildren.apply(body, Array.from(panel.childNodes));
      });
    };
    link.addEventListener("click", function (event) {
      event.preventDefault();
      load(link.href).then(function () {
        dialog.showModal();
        var box = document.getElementById("catalog-q");
        if (box) { box.focus(); }
      }).catch(function () { window.location.href = link.href; });
    });
    body.addEventListener("submit", function (event) {
      if (event.target.id !== "catalog-search") { return; }
      event.preventDefault();
      load("/account/services/add?" + new URLSearchParams(new FormData(event.target)).toString());
    });
    body.addEventListener("click", function (event) {
      var pager = event.target.closest && event.target.closest(".pager a");
      if (!pager) { return; }
      event.preventDefault();
      load(pager.getAttribute("href"));
    });
    var close = document.getElementById("service-catalog-close");
    if (close) { close.addEventListener("click", function () { dialog.close(); }); }
  }
  var form = document.getElementById("give-up-form");
  document.querySelectorAll("[data-give-up]").forEach(function (giveUp) {
    if (!form) { return; }
    giveUp.addEventListener("click", function (event) {
      event.preventDefault();
      if (!window.confirm(giveUp.dataset.giveUp)) { return; }
      form.action = giveUp.getAttribute("href");
      form.submit();
    });
  });
})();
// Administration (ADMIN): a destructive form asks first; confirmed, it says so to the server,
// which otherwise answers with a confirmation page (the same question without a script).
(function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
      if (!form.querySelector("input[name=confirmed]")) {
        var confirmed = document.createElement("input");
        confirmed.type = "hidden";
        confirmed.name = "confirmed";
        confirmed.value = "yes";
        form.appendChild(confirmed);
      }
    });
  });
  // On a phone the side menu is a strip: the current page's entry is brought into it.
  var current = document.querySelector("#admin-nav ul [aria-current]");
  var strip = document.getElementById("admin-nav");
  if (current && strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - strip.offsetLeft - 16;
  }
  // "Refuser" opens its dialog; without a script the link opens the refusal's own page.
  document.querySelectorAll("[data-admin-dialog]").forEach(function (link) {
    var dialog = document.getElementById(link.dataset.adminDialog);
    if (!dialog || !dialog.showModal) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      var first = dialog.querySelector("textarea");
      if (first) { first.focus(); }
    });
    dialog.querySelectorAll(".dialog-close").forEach(function (close) {
      close.addEventListener("click", function () { dialog.close(); });
    });
  });
})();
