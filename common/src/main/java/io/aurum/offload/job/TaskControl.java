package io.aurum.offload.job;

import com.fasterxml.jackson.databind.JsonNode;

/** The backend's side of a {@link JobContext}: where progress goes, and whether the task should stop. */
public interface TaskControl {

    /** For jobs run outside a backend (tests, tools): progress goes nowhere, nothing ever asks to stop. */
    TaskControl NONE = new TaskControl() {
        @Override
        public void reportProgress(JsonNode progress) {
        }

        @Override
        public boolean stopRequested() {
            return false;
        }
    };

    void reportProgress(JsonNode progress);

    boolean stopRequested();
}
