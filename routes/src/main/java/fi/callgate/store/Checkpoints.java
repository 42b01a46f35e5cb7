package fi.callgate.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told when a job that commits in several steps (an upload's stage, an export, a data-subject erasure, a
 * shredding run) has made one step durable: the points a restart resumes from. Only the steps <em>inside</em>
 * a unit of work are reported here; the end of a pipeline stage is already visible to Camel as the end of its
 * route step. Called with names and ids only (step name, upload/batch/request/run id), never personal data.
 *
 * <p>Why an observer and not nothing: these points are where the crash tests must stop a job as a kill would
 * (a tests-only implementation throws there, and the tests' Camel interceptor turns that into a stopped
 * exchange); production code neither knows nor handles that. In production the trail goes to the DEBUG log,
 * where an operator reads how far an interrupted job had got.
 */
@FunctionalInterface
public interface Checkpoints {
    /** Production: each step at DEBUG. */
    Checkpoints LOG = new Checkpoints() {
        private final Logger log = LoggerFactory.getLogger(Checkpoints.class);

        @Override
        public void reached(String step, String id) {
            log.debug("checkpoint {} of {}", step, id);
        }
    };

    /** {@code step} of the job {@code id} is committed. */
    void reached(String step, String id);
}
