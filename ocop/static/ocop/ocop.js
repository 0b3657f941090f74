// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  const el = event.target.closest("[data-autosubmit]");
  if (el && el.form && !window.htmx) el.form.submit();
});
// Address picker: copy the chosen commune into the form's hidden field.
document.addEventListener("change", (event) => {
  const select = event.target.closest(".commune-select");
  if (!select) return;
  const hidden = document.getElementById(select.dataset.target);
  if (hidden) hidden.value = select.value;
});
// Office menu: one group open at a time; a click elsewhere closes it.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
