"""The forecast engine: plain arrays in, quantile forecasts and back-test metrics out (no Django).

    from forecasting.engine import EngineConfig, Series, forecast_panel
    panel = forecast_panel(series, config=EngineConfig(freq="D", horizon=28), events=events)

How it works (details in each module):
- `panel.py` lines the SKUs up on their common last period; days before a SKU's first sale do
  not count as zero sales, and neither do the days of a finished long zero run of a steady
  seller (`stockout_mask`: a stockout or weeks off the shelf), which the global model's level
  features and the statistical candidates' inputs leave out. A zero run still going on at the
  origin stays in: whether the product comes back is part of what is forecast.
- Candidates per SKU: a global LightGBM over all SKUs of the call (`gbm.py`) and fast
  statsforecast models (`statistical.py`: TSB, ADIDA, Croston, window average, ETS, seasonal
  naive).
- Rolling-origin back-test: the last `backtest_windows` x `horizon` periods are forecast from
  origins inside the history (the global model is trained on data before the earliest
  origin). Per volume band the candidates are combined with weights that minimize the
  back-test error; a SKU keeps a single candidate only when it beat the ensemble clearly on its
  own back-test. The chosen forecast's back-test errors give the SKU's MAE, MASE, RMSSE, bias
  and P10-P90 coverage (`metrics.py`).
- Quantiles (`quantiles.py`): negative binomial around the point forecast with the SKU's own
  dispersion, recalibrated on the back-test so that the P10-P90 band holds 80 % of days.
- SKUs with less history than the back-test needs borrow their category's forecast shape at
  their own level (`borrowed_from_category`); SKUs that never sold forecast zero.

Defaults (LightGBM parameters and rounds, training window, origins, back-test windows, ensemble
bands, selection margin) were chosen on the M5 FOODS_3/TX_3 history alone: three splits that
hold out its last 28, 56-29 and 84-57 days (`bench/forecast_m5.py --cut 28`, `--cut 56`,
`--cut 84`). The benchmark's holdout (the 28 days after the history) chose nothing.
"""

from .forecast import forecast_panel, model_versions
from .metrics import bias, coverage, mae, mase, naive_scales, pinball, rmsse
from .types import (
    CANDIDATES,
    ENGINE_VERSION,
    EngineConfig,
    PanelForecast,
    Series,
    SkuResult,
)

__all__ = [
    "CANDIDATES",
    "ENGINE_VERSION",
    "EngineConfig",
    "PanelForecast",
    "Series",
    "SkuResult",
    "bias",
    "coverage",
    "forecast_panel",
    "mae",
    "mase",
    "model_versions",
    "naive_scales",
    "pinball",
    "rmsse",
]
