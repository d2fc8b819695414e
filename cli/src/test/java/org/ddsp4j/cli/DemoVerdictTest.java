package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ddsp4j.features.ResynthesisMetrics;
import org.junit.jupiter.api.Test;

class DemoVerdictTest {
    private static ResynthesisMetrics metrics(double loudnessL1, double f0L1, double outliers, double rpa) {
        return new ResynthesisMetrics(1000, 800, 0.85, loudnessL1, loudnessL1, f0L1, outliers, rpa);
    }

    @Test
    void aGoodResultHasNoProblems() {
        assertEquals(List.of(), DemoVerdict.problems(metrics(2.5, 0.05, 0.001, 0.97), 0.95, 5.0, 20.0));
    }

    @Test
    void eachFailedRuleIsReportedWithItsValue() {
        List<String> p = DemoVerdict.problems(metrics(27.0, 3.0, 0.2, 0.5), 0.4, 19.0, 20.0);
        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).contains("27.00 dB"), p.get(0));
        assertTrue(p.get(1).contains("50.0 %"), p.get(1));
        assertTrue(p.get(2).contains("20.0 %"), p.get(2));
        assertTrue(p.get(3).contains("40.0 %"), p.get(3));
        assertTrue(p.get(4).contains("95 %"), p.get(4));
    }

    @Test
    void loudnessJustOverTheLimitFailsAndNaNNeverPasses() {
        assertEquals(1, DemoVerdict.problems(metrics(6.01, 0.05, 0, 0.97), 0.95, 5.0, 20.0).size());
        assertEquals(0, DemoVerdict.problems(metrics(6.0, 0.05, 0, 0.97), 0.95, 5.0, 20.0).size());
        // no pitched frames at all (NaN metrics) is garbage, not a pass
        assertEquals(3, DemoVerdict.problems(metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN), 0.95, 5.0, 20.0).size());
    }
}
