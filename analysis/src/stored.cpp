// Stored analysis: what `hrtrack analyze` coded, read back (by the web, say) for as long as
// the law, its reviews and the rules are those it was coded from.
#include "engine_impl.hpp"

namespace hrtrack::analysis {

// What the stored answers and timelines hold; a new layout codes them again.
constexpr const char* kStoredLayout = "answers and timelines, layout 2 (not assessed, documents read, causes)";

std::string Engine::Impl::fingerprint(std::string_view jurisdiction, bool reviews) const {
  std::string f = std::string(kStoredLayout) + '\n' + convention->rules().digest;
  for (const auto& in : store.instruments(jurisdiction)) {
    f += '\n' + in.identifier;
    for (const auto& v : store.versions(in.id)) f += ' ' + std::to_string(v.id) + ':' + v.text_sha256;
  }
  if (reviews)
    for (const auto& r : store.records("review", std::string(jurisdiction) + "/")) f += '\n' + r.key + '=' + r.json;
  return corpus::sha256_hex(f);
}

std::optional<std::vector<Answer>> Engine::Impl::stored_answers(std::string_view jurisdiction) const {
  const auto stamp = store.record("analysis", jurisdiction);
  if (!stamp || stamp_fingerprint(stamp->json) != fingerprint(jurisdiction, true)) return std::nullopt;
  std::vector<Answer> out;
  for (const auto& p : convention->provisions()) {
    const auto rec = store.record("answer", key_of(jurisdiction, p.id));
    auto a = rec ? answer_from_json(rec->json) : std::nullopt;
    if (!a) return std::nullopt;
    out.push_back(std::move(*a));
  }
  return out;
}

Result<std::vector<Answer>> Engine::Impl::current(std::string_view jurisdiction, bool persist) {
  if (auto stored = stored_answers(jurisdiction)) return std::move(*stored);
  return answers(jurisdiction, {}, persist);
}

Result<std::vector<Answer>> Engine::current(std::string_view jurisdiction) {
  return impl_->current(jurisdiction, impl_->config.persist);
}

Result<std::vector<TimelineEntry>> Engine::timeline(std::string_view jurisdiction) {
  // Reviews are about the law as it stands; the timeline is the machine's reading of each date.
  const auto f = impl_->fingerprint(jurisdiction, false);
  if (const auto rec = impl_->store.record("timeline", jurisdiction))
    if (auto stored = timeline_from_json(rec->json, f)) return std::move(*stored);
  auto t = impl_->timeline(jurisdiction);
  if (!t || !impl_->config.persist) return t;
  // Stored with the changes it found as status events, in one transaction.
  auto& impl = *impl_;
  Status s = impl.store.transaction([&]() -> Status {
    auto recorded = impl.recorded_changes(jurisdiction);
    const TimelineEntry* previous = nullptr;
    for (const auto& e : t.value()) {
      if (!e.coverage_start && previous && previous->provision == e.provision) {
        std::string note;
        for (const auto& c : e.caused_by) note += (note.empty() ? "" : "; ") + to_string(c);
        const StatusEventKey change{e.from, std::string(shown_status(*previous)), std::string(shown_status(e))};
        if (auto r = impl.record_change(recorded, key_of(jurisdiction, e.provision), change, note, e.caused_by); !r)
          return r;
      }
      previous = &e;
    }
    return impl.store.put_record("timeline", jurisdiction, timeline_json(t.value(), f));
  });
  if (!s) return s.error();
  return t;
}

}  // namespace hrtrack::analysis
