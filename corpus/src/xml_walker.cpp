#include "xml_walker.hpp"

#include <libxml/tree.h>

#include <algorithm>
#include <utility>

#include "text.hpp"

namespace hrtrack::corpus::xml {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

bool only_punctuation(std::string_view s) {
  return !s.empty() && s.find_first_not_of(".,;:") == std::string_view::npos;
}

}  // namespace

Walker::Walker(const Format& format, const ParsedDocument& doc) : f_(format), doc_(doc) {}

const ElementRole* Walker::row(const xmlNode* n) {
  auto [it, fresh] = rows_.try_emplace(n->name);
  if (fresh) {
    const std::string_view local = name(n);
    for (const ElementRole& r : f_.elements)
      for (std::string_view rest = r.names; !rest.empty();) {
        const std::size_t space = std::min(rest.find(' '), rest.size());
        if (rest.substr(0, space) == local) {
          it->second.push_back(&r);
          break;
        }
        rest.remove_prefix(std::min(space + 1, rest.size()));
      }
  }
  for (const ElementRole* r : it->second) {
    if (!r->attr.empty() && attr(n, r->attr) != r->value) continue;
    if (!r->parent.empty() && name(parent(n)) != r->parent) continue;
    return r;
  }
  return nullptr;
}

bool Walker::printed(const xmlNode* n) const {
  if (f_.text_namespace.empty()) return true;
  return n->ns && n->ns->href && reinterpret_cast<const char*>(n->ns->href) == f_.text_namespace;
}

Role Walker::role(const xmlNode* n) {
  if (!printed(n)) return Role::editorial;
  if (const ElementRole* r = row(n)) return r->role;
  return f_.layout.structured && !st_.text ? f_.layout.unknown : Role::inline_;
}

Unit Walker::unit(const xmlNode* n) {
  if (!printed(n)) return Unit::skip;
  const ElementRole* r = row(n);
  return r ? r->unit : Unit::none;
}

// ---------------------------------------------------------------------------------------
// Lines.

void Walker::text(std::string_view s) {
  Output& o = out_;
  if (s.empty()) return;
  if (o.glue || o.quote_open || o.space_due) {
    const bool blank = is_blank(s);
    if (o.quote_open && blank) return;  // an opening mark is followed by what it quotes
    if (!blank) {
      if (o.space_due && s[s.find_first_not_of(" \t\r\n")] != '(') o.current += ' ';
      o.glue = o.quote_open = o.space_due = false;
    }
  }
  if (o.current.empty()) o.depth = st_.own;
  o.current += s;
}

void Walker::flush() {
  if (!out_.glue) end_line(false);
}

void Walker::end_line(bool last) {
  Output& o = out_;
  o.glue = o.space_due = o.quote_open = false;
  if (o.current.empty()) return;
  std::string line = collapse_space(o.current);
  o.current.clear();
  if (line.empty()) return;
  const Layout& l = f_.layout;
  if (!last && l.bare_number > 0 && line.size() <= l.bare_number &&
      line.find(' ') == std::string::npos &&
      (!l.bare_bracketed || (line.front() == '(' && line.back() == ')'))) {
    o.current = std::move(line) + " ";  // a number alone waits for the line it opens
    return;
  }
  if (l.punctuation_closes && only_punctuation(line) && !o.lines.empty()) {
    o.lines.back().text += line;
    return;
  }
  o.lines.push_back({o.depth, std::move(line)});
}

std::string Walker::finish_text() {
  end_line(true);
  std::string out;
  for (const Line& l : out_.lines) {
    if (!out.empty()) out += '\n';
    out.append(static_cast<std::size_t>(l.depth * f_.layout.indent), ' ');
    out += l.text;
  }
  out_.lines.clear();
  return out;
}

template <class F>
Walker::Output Walker::capture(F&& f, bool keep_apparatus) {
  Output saved = std::move(out_);
  out_ = Output{};
  std::vector<std::string> notes;
  std::vector<Citation> citations;
  out_.notes = keep_apparatus ? saved.notes : &notes;
  out_.citations = keep_apparatus ? saved.citations : &citations;
  const State state = std::exchange(st_, State{.own = st_.own, .levels = st_.levels});
  f();
  st_ = state;
  std::swap(saved, out_);
  return saved;
}

std::string Walker::one_line(const xmlNode* n, bool keep_apparatus) {
  if (!n) return {};
  Output o = capture([&] { children(n); }, keep_apparatus);
  std::string s;
  for (const Line& l : o.lines) s += l.text + " ";
  return collapse_space(s + o.current);
}

std::string Walker::label_text(const xmlNode* n, bool keep_apparatus) {
  return f_.layout.rendered_labels ? one_line(n, keep_apparatus) : clean_text(n);
}

std::string Walker::inline_text(const xmlNode* n) { return one_line(n, false); }

template <class F>
void Walker::labels(const xmlNode* n, F&& take) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (!is_element(c)) continue;
    const Role r = role(c);
    if (r == Role::label) {
      for (const xmlNode* d = c->children; d; d = d->next)
        if (is_element(d)) take(d, role(d));
    } else if (r == Role::number || r == Role::heading) {
      take(c, r);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Elements.

void Walker::children(const xmlNode* n, bool unit) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (st_.text && c->content) text(reinterpret_cast<const char*>(c->content));
    } else if (c->type == XML_ELEMENT_NODE) {
      // A unit's own number, heading and label are not its text.
      if (unit) {
        const Role r = role(c);
        if (r == Role::number || r == Role::heading || r == Role::label) continue;
      }
      element(c);
    }
  }
}

void Walker::element(const xmlNode* n) {
  Role r = role(n);
  // A row is one line: whatever its cells hold (tables too) continues it.
  if (st_.row && r != Role::note && r != Role::note_ref && r != Role::editorial &&
      r != Role::internal_ref && r != Role::external_ref && (r != Role::cell || st_.cell))
    r = Role::inline_;
  // Structured content: a reference outside text is an element like any other there.
  if (!st_.text && f_.layout.structured && (r == Role::internal_ref || r == Role::external_ref))
    r = f_.layout.unknown;
  switch (r) {
    case Role::editorial:
      return;
    case Role::note:
      return add_note(n, attr(n, "marker"));
    case Role::note_ref:
      return note_ref(n);
    case Role::number:
      return number(n);
    case Role::heading:
      if (f_.layout.inner_heading == Role::inline_) break;
      flush();
      if (!f_.layout.rendered_labels) {
        text(clean_text(n));
      } else {
        const State state = st_;
        st_.text = true;
        children(n);
        st_ = state;
      }
      flush();
      return;
    case Role::space:
      if (st_.text) out_.current += ' ';
      return;
    case Role::line_break:
      return flush();
    case Role::internal_ref:
    case Role::external_ref:
      cite(n, r);
      break;
    case Role::cell:
      return cell(n);
    case Role::label:  // within the text, a block of its number and heading
    case Role::block:
    case Role::line:
    case Role::row:
    case Role::quotation:
      return block(n, r);
    case Role::inline_:
      break;
  }
  const State state = st_;
  if (r != Role::inline_ || !f_.layout.structured) st_.text = true;
  quote_open(n);
  children(n);
  quote_close(n);
  st_ = state;
}

bool Walker::numbered(const xmlNode* n) {
  if (unit(n) != Unit::none) return false;  // a unit quoted whole starts its own levels
  for (const xmlNode* c = n->children; c; c = c->next)
    if (is_element(c) && role(c) == Role::number) return true;
  return false;
}

void Walker::block(const xmlNode* n, Role r) {
  if (r == Role::quotation) end_line(false);  // a quotation opens a line of its own
  else flush();
  const State state = st_;
  if (f_.layout.structured) st_.text = r == Role::line;
  if (r == Role::row) st_.row = true;
  if (r != Role::line) st_.own = st_.levels;  // a line stands at the level of the block it is in
  if (f_.layout.indent > 0 && numbered(n)) ++st_.levels;
  Frame frame{out_.lines.size(), kNone, {}};
  const bool framed = f_.layout.numbering == Numbering::prefix && (r == Role::block || r == Role::label);
  if (framed) st_.frame = &frame;
  const std::size_t before = out_.lines.size();
  if (r == Role::quotation) {
    text("\xE2\x80\x9C");
    out_.glue = out_.quote_open = true;
  }
  quote_open(n);
  children(n);
  quote_close(n);
  if (r == Role::quotation) {
    if (out_.lines.size() == before && out_.current == "\xE2\x80\x9C") out_.current.clear();  // nothing quoted
    else close_with("\xE2\x80\x9D");
  }
  flush();
  if (f_.layout.numbering == Numbering::adjoin && out_.glue) end_line(false);
  if (framed) {
    st_.frame = state.frame;
    if (!frame.label.empty()) {
      auto& lines = out_.lines;
      const std::size_t at = frame.own != kNone ? frame.own : frame.first;
      if (at < lines.size()) lines[at].text = frame.label + " " + lines[at].text;
      else lines.push_back({st_.own, std::move(frame.label)});
    }
  }
  if (r == Role::line && state.frame && state.frame->own == kNone && out_.lines.size() > before)
    state.frame->own = before;
  st_ = state;
}

void Walker::number(const xmlNode* n) {
  std::string t = f_.layout.plain_numbers ? clean_text(n) : one_line(n, true);
  if (f_.number) t = f_.number(n, std::move(t), *this);
  Output& o = out_;
  switch (f_.layout.numbering) {
    case Numbering::follow:
      flush();
      text(t);
      o.current += ' ';
      return;
    case Numbering::own_line:
      if (!o.quote_open) {
        o.glue = false;
        flush();
      }
      if (t.empty()) return;
      text(t + " ");
      o.glue = true;
      return;
    case Numbering::adjoin:
      if (t.empty()) return;
      if (!o.glue && !o.quote_open) flush();
      if (o.current.empty()) o.depth = st_.own;
      o.current += t;
      o.glue = o.space_due = true;
      o.quote_open = false;
      return;
    case Numbering::prefix:
      if (st_.frame) st_.frame->label = std::move(t);
      return;
  }
}

void Walker::cell(const xmlNode* n) {
  std::string& cur = out_.current;
  const std::size_t mark = cur.size();
  if (!is_blank(cur)) cur += " | ";
  const std::size_t start = cur.size(), lines = out_.lines.size();
  const State state = st_;
  st_.text = true;
  st_.cell = st_.row;
  children(n);
  st_ = state;
  // (A cell that holds paragraphs has ended lines of its own.)
  if (!f_.layout.keep_empty_cells && out_.lines.size() == lines && cur.size() >= start &&
      is_blank(std::string_view(cur).substr(start)))
    cur.resize(mark);
}

void Walker::quote_open(const xmlNode* n) {
  if (!f_.layout.quote_attributes) return;
  const std::string q = attr(n, "startQuote");
  if (q.empty()) return;
  text(q);
  out_.glue = out_.quote_open = true;
}

void Walker::quote_close(const xmlNode* n) {
  if (!f_.layout.quote_attributes) return;
  const std::string q = attr(n, "endQuote");
  if (!q.empty()) close_with(q);
}

// A closing mark ends the text before it, on the last line that has any.
void Walker::close_with(std::string_view mark) {
  std::string& cur = out_.current;
  while (!cur.empty() && (cur.back() == ' ' || cur.back() == '\n' || cur.back() == '\r')) cur.pop_back();
  if (cur.empty() && !out_.lines.empty()) {
    out_.depth = out_.lines.back().depth;
    cur = std::move(out_.lines.back().text);
    out_.lines.pop_back();
  }
  text(mark);
}

// ---------------------------------------------------------------------------------------
// Notes and citations.

void Walker::add_note(const xmlNode* n, const std::string& marker) {
  std::string t;
  if (f_.note) t = f_.note(n, *this);
  else if (f_.layout.rendered_labels) t = one_line(n, false);
  else t = clean_text(n);
  if (t.empty() || !out_.notes) return;
  if (!marker.empty()) t = "[" + marker + "] " + t;
  auto& notes = *out_.notes;
  if (!f_.layout.notes_once || std::find(notes.begin(), notes.end(), t) == notes.end())
    notes.push_back(std::move(t));
}

void Walker::note_ref(const xmlNode* n) {
  if (!notes_indexed_) {
    notes_indexed_ = true;
    const xmlNode* top = n;
    while (parent(top)) top = parent(top);
    index_notes(top);
  }
  std::string id = attr(n, "href");
  if (!id.empty() && id[0] == '#') id.erase(0, 1);
  if (auto it = note_index_.find(id); it != note_index_.end()) add_note(it->second, attr(n, "marker"));
}

void Walker::index_notes(const xmlNode* n) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (!is_element(c)) continue;
    if (role(c) != Role::note) index_notes(c);
    else if (std::string id = attr(c, "eId"); !id.empty()) note_index_.emplace(std::move(id), c);
  }
}

void Walker::cite(const xmlNode* n, Role r) {
  if (!out_.citations) return;
  std::optional<Citation> c;
  if (f_.cite) {
    c = f_.cite(n, *this);
  } else {
    const std::string t = clean_text(n);
    if (r == Role::internal_ref) {
      c = Citation{t, {}, normalize_section_number(t), "markup"};
    } else {
      std::string target = attr(n, "link");
      if (target.empty()) target = attr(n, "href");
      c = Citation{t, target.empty() ? t : target, {}, "markup"};
    }
  }
  if (c) out_.citations->push_back(std::move(*c));
}

// ---------------------------------------------------------------------------------------
// Units.

std::string Walker::unit_text(const xmlNode* n, ParsedSection& into, bool unit) {
  std::string out;
  capture(
      [&] {
        out_.notes = &into.notes;
        out_.citations = &into.citations;
        st_ = State{.text = !f_.layout.structured};
        Frame frame{0, kNone, {}};
        if (f_.layout.numbering == Numbering::prefix) st_.frame = &frame;
        if (unit) children(n, true);
        else block(n, Role::block);
        out = finish_text();
      },
      true);
  return out;
}

std::optional<ParsedSection> Walker::section(const xmlNode* n) {
  ParsedSection s;
  s.path = path;
  bool headed = false;
  auto* notes = std::exchange(out_.notes, &s.notes);
  auto* citations = std::exchange(out_.citations, &s.citations);
  labels(n, [&](const xmlNode* c, Role r) {
    if (r == Role::number) {
      if (const std::string t = label_text(c, true); !t.empty()) s.label += (s.label.empty() ? "" : " ") + t;
    } else if (r == Role::heading && !headed) {
      s.heading = label_text(c, true);
      headed = true;
    }
  });
  out_.notes = notes;
  out_.citations = citations;
  const xmlNode* outer = std::exchange(unit_, n);
  s.text = unit_text(n, s, true);
  unit_ = outer;
  if (!f_.section) s.number = normalize_section_number(s.label);
  else if (!f_.section(n, s, *this)) return std::nullopt;
  return s;
}

std::string Walker::block_text(const xmlNode* n, ParsedSection& into) { return unit_text(n, into, false); }

std::string Walker::title(const xmlNode* group) {
  if (f_.title) return f_.title(group, *this);
  std::string t;
  labels(group, [&](const xmlNode* c, Role r) {
    if (r == Role::number || r == Role::heading) t += " " + label_text(c, false);
  });
  return collapse_space(t);
}

bool Walker::holds_units(const xmlNode* n) {
  for (const xmlNode* c = n->children; c; c = c->next)
    if (is_element(c) && unit(c) != Unit::skip && (unit(c) == Unit::section || holds_units(c))) return true;
  return false;
}

void Walker::units(const xmlNode* n, std::vector<ParsedSection>& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (!is_element(c)) continue;
    Unit u = unit(c);
    if (u == Unit::section) {
      bool numbered = false;
      labels(c, [&](const xmlNode* d, Role r) { numbered = numbered || (r == Role::number && !is_blank(xml::text(d))); });
      // A unit without a number that holds units is a grouping, like a part.
      if (!numbered && holds_units(c)) u = Unit::container;
    }
    if (u == Unit::section) {
      if (auto s = section(c)) out.push_back(std::move(*s));
    } else if (u == Unit::container) {
      const std::string t = title(c);  // (a grouping without a title is no step of the path)
      if (!t.empty()) path.push_back(t);
      units(c, out);
      if (!t.empty()) path.pop_back();
    } else if (u == Unit::outline) {
      const std::size_t level = f_.level ? std::max<std::size_t>(1, f_.level(c)) : 1;
      path.resize(std::min(path.size(), level - 1));
      path.push_back(title(c));
    } else if (u == Unit::none && role(c) != Role::note && role(c) != Role::editorial) {
      units(c, out);
    }
  }
}

// ---------------------------------------------------------------------------------------

Result<ParsedDocument> read(std::string_view bytes, const ParseContext& ctx, const Format& format) {
  auto parsed = parse(bytes, ctx.source);
  if (!parsed) return parsed.error();
  const xmlNode* r = root(parsed.value());
  ParsedDocument doc;
  Walker w(format, doc);
  const std::string_view kind = name(r);
  const bool known = std::find(format.roots.begin(), format.roots.end(), kind) != format.roots.end();
  if ((!format.roots.empty() && !known) || w.unit(r) == Unit::skip)
    return Error{ctx.source + ": not " + std::string(format.name) + " (root <" + std::string(kind) + ">)"};
  if (format.metadata)
    if (Status st = format.metadata(r, ctx, doc, w); !st) return Error{st.code(), ctx.source + st.error().message};
  if (format.units) {
    if (Status st = format.units(r, w, doc); !st) return Error{st.code(), ctx.source + st.error().message};
  } else {
    w.units(r, doc.sections);
  }
  return doc;
}

}  // namespace hrtrack::corpus::xml
