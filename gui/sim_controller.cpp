#include "gui/sim_controller.h"

#include <algorithm>
#include <cmath>

namespace vpcsim::gui {

namespace {

// Wall-clock budget of one tick of the worker: short enough that pause, step and seek are
// handled promptly, long enough that the engine, not the event loop, uses the time.
constexpr qint64 kTickMs = 20;
constexpr int kTickIntervalMs = 5;
// At most this many batches a second while running.
constexpr qint64 kPublishEveryMs = 100;
// Events between two looks at the wall clock.
constexpr std::uint64_t kSlice = 4096;
// Stepping to the next drop gives up after this many events (the run continues on the next).
constexpr std::uint64_t kStepToDropLimit = 5'000'000;

}  // namespace

SimWorker::SimWorker() {
  timer_ = new QTimer(this);
  timer_->setInterval(kTickIntervalMs);
  connect(timer_, &QTimer::timeout, this, &SimWorker::tick);
}

void SimWorker::load(std::shared_ptr<const Scenario> scenario, int model) {
  scenario_ = std::move(scenario);
  model_ = static_cast<FilteringModel>(model);
  setRunning(false);
  restart();
  publish(false);
}

void SimWorker::restart() {
  session_.reset();
  if (!scenario_) return;
  const SimulationOptions options = scenario_options(*scenario_, model_);
  session_ = std::make_unique<RunSession>(*scenario_, options, default_bucket_width(options));
  planned_end_ = planned_end(*scenario_, options);
  ++run_;
  flows_sent_ = 0;
  texts_sent_ = 0;
  clock_ = SimTime{0};
}

void SimWorker::setRunning(bool on) {
  if (on && (!session_ || session_->finished())) on = false;
  if (on == running_) return;
  running_ = on;
  if (on) {
    wall_.start();
    clock_ = std::max(clock_, session_->now());
    timer_->start();
  } else {
    timer_->stop();
  }
  emit runningChanged(on);
}

void SimWorker::run() {
  setRunning(true);
  last_publish_.start();
}

void SimWorker::pause() {
  setRunning(false);
  publish(false);
}

void SimWorker::step() {
  setRunning(false);
  if (!session_) return;
  session_->step();
  clock_ = session_->now();
  publish(true);
}

void SimWorker::stepToDrop() {
  setRunning(false);
  if (!session_) return;
  session_->step_to_drop(kStepToDropLimit);
  clock_ = session_->now();
  publish(true);
}

void SimWorker::reset() {
  setRunning(false);
  restart();
  publish(false);
}

void SimWorker::seek(qint64 nanoseconds) {
  if (!session_) return;
  const SimTime target(nanoseconds);
  // The engine runs forwards only: going back replays from the start (deterministic, so the
  // same events happen again).
  if (target < session_->now()) {
    const bool was_running = running_;
    setRunning(false);
    restart();
    session_->advance(UINT64_MAX, target);
    clock_ = target;
    publish(false);
    setRunning(was_running);
    return;
  }
  session_->advance(UINT64_MAX, target);
  clock_ = target;
  publish(false);
}

void SimWorker::setSpeed(double simulated_per_second) { speed_ = std::max(0.0, simulated_per_second); }

void SimWorker::tick() {
  if (!session_) return;
  QElapsedTimer budget;
  budget.start();
  const qint64 elapsed_ns = wall_.nsecsElapsed();
  wall_.start();
  std::optional<SimTime> until;
  if (speed_ > 0) {
    clock_ += SimTime(std::llround(static_cast<double>(elapsed_ns) * speed_));
    until = clock_;
  }
  while (!session_->finished() && budget.elapsed() < kTickMs) {
    if (session_->advance(kSlice, until) < kSlice) {
      // Paced: nothing more is due yet. Otherwise the run just ended.
      if (until && !session_->finished()) break;
    }
  }
  if (session_->finished()) {
    setRunning(false);
    publish(false);
  } else if (last_publish_.elapsed() >= kPublishEveryMs) {
    publish(false);
  }
}

void SimWorker::publish(bool with_packet) {
  last_publish_.start();
  auto b = std::make_shared<ResultBatch>();
  b->run = run_;
  b->scenario = scenario_;
  b->model = model_;
  if (!session_) {
    emit batchReady(std::move(b));
    return;
  }
  b->now = session_->now();
  b->planned_end = planned_end_;
  b->finished = session_->finished();
  b->events = session_->events();
  b->flows_started = session_->flows_started();
  if (const FlowCollector* flows = session_->flows()) {
    const auto& all = flows->flows();
    b->flows.assign(all.begin() + static_cast<std::ptrdiff_t>(flows_sent_), all.end());
    flows_sent_ = all.size();
    b->first_text = texts_sent_;
    for (std::size_t i = texts_sent_; i < flows->text_count(); ++i) {
      b->texts.push_back(flows->text(static_cast<std::uint32_t>(i)));
    }
    texts_sent_ = flows->text_count();
  }
  b->bucket_width = session_->series().bucket_width();
  b->buckets = session_->series().buckets();
  b->totals = session_->summary().totals();
  b->hits = session_->hits().hits();
  if (with_packet) b->packet = session_->last_packet();
  emit batchReady(std::move(b));
}

SimController::SimController(QObject* parent) : ResultSource(parent), worker_(new SimWorker) {
  qRegisterMetaType<vpcsim::gui::BatchPtr>("vpcsim::gui::BatchPtr");
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &SimWorker::batchReady, this, &ResultSource::batchReady, Qt::QueuedConnection);
  connect(worker_, &SimWorker::runningChanged, this, [this](bool on) {
    running_ = on;
    emit runningChanged(on);
  }, Qt::QueuedConnection);
  thread_.start();
}

SimController::~SimController() {
  thread_.quit();
  thread_.wait();
}

void SimController::load(std::shared_ptr<const Scenario> scenario, FilteringModel model) {
  QMetaObject::invokeMethod(worker_, [w = worker_, s = std::move(scenario), model] { w->load(s, static_cast<int>(model)); },
                            Qt::QueuedConnection);
}
void SimController::run() { QMetaObject::invokeMethod(worker_, &SimWorker::run, Qt::QueuedConnection); }
void SimController::pause() { QMetaObject::invokeMethod(worker_, &SimWorker::pause, Qt::QueuedConnection); }
void SimController::step() { QMetaObject::invokeMethod(worker_, &SimWorker::step, Qt::QueuedConnection); }
void SimController::stepToDrop() { QMetaObject::invokeMethod(worker_, &SimWorker::stepToDrop, Qt::QueuedConnection); }
void SimController::reset() { QMetaObject::invokeMethod(worker_, &SimWorker::reset, Qt::QueuedConnection); }
void SimController::seek(SimTime t) {
  QMetaObject::invokeMethod(worker_, [w = worker_, ns = static_cast<qint64>(t.count())] { w->seek(ns); },
                            Qt::QueuedConnection);
}
void SimController::setSpeed(double simulated_per_second) {
  QMetaObject::invokeMethod(worker_, [w = worker_, simulated_per_second] { w->setSpeed(simulated_per_second); },
                            Qt::QueuedConnection);
}

}  // namespace vpcsim::gui
