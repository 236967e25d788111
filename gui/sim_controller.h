// The local ResultSource: the engine runs in a worker thread (a RunSession driven in slices of
// a few milliseconds) and results come back to the UI thread as queued batches, at most ten a
// second while running, so that a million-flow run never blocks the window.
#pragma once

#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

#include "gui/result_source.h"

namespace vpcsim::gui {

// Lives in the worker thread; every slot is invoked through a queued connection.
class SimWorker : public QObject {
  Q_OBJECT
 public:
  SimWorker();

 public:
  // Called in the worker thread (SimController invokes them through queued calls).
  void load(std::shared_ptr<const vpcsim::Scenario> scenario, int model);
  void run();
  void pause();
  void step();
  void stepToDrop();
  void reset();
  void seek(qint64 nanoseconds);
  void setSpeed(double simulated_per_second);

 signals:
  void batchReady(vpcsim::gui::BatchPtr batch);
  void runningChanged(bool running);

 private:
  void restart();
  void tick();
  void setRunning(bool on);
  // A batch of what changed since the last one; `packet` only after a single step.
  void publish(bool with_packet);

  std::shared_ptr<const Scenario> scenario_;
  FilteringModel model_ = FilteringModel::kStateless;
  std::unique_ptr<RunSession> session_;
  std::optional<SimTime> planned_end_;
  std::uint64_t run_ = 0;
  std::size_t flows_sent_ = 0;
  std::size_t texts_sent_ = 0;
  QTimer* timer_ = nullptr;
  QElapsedTimer wall_;         // since the last tick, for pacing
  QElapsedTimer last_publish_;
  double speed_ = 0;           // 0: as fast as possible
  SimTime clock_{0};           // the paced simulated clock
  bool running_ = false;
};

class SimController : public ResultSource {
  Q_OBJECT
 public:
  explicit SimController(QObject* parent = nullptr);
  ~SimController() override;

  void load(std::shared_ptr<const Scenario> scenario, FilteringModel model) override;
  void run() override;
  void pause() override;
  void step() override;
  void stepToDrop() override;
  void reset() override;
  void seek(SimTime t) override;
  void setSpeed(double simulated_per_second) override;
  bool running() const override { return running_; }

 private:
  QThread thread_;
  SimWorker* worker_;
  bool running_ = false;
};

}  // namespace vpcsim::gui
