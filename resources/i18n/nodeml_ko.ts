<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Loading PyTorch…</source>
        <translation>PyTorch 불러오는 중…</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>{name} 여는 중…</translation>
    </message>
</context>
<context>
    <name>Autograd</name>
    <message>
        <source>the weights of run “{run}” ({file})</source>
        <translation>실행 “{run}”의 가중치({file})</translation>
    </message>
    <message>
        <source>Show &amp;Autograd Graph…</source>
        <translation>Autograd 그래프 보기(&amp;A)…</translation>
    </message>
    <message>
        <source>Run one batch and draw the backward graph autograd records: each grad_fn, the parameters whose .grad it fills, linked to the layers on the canvas</source>
        <translation>배치 하나를 실행해 autograd가 기록한 역전파 그래프를 그립니다: 각 grad_fn과 그것이 .grad를 채우는 파라미터를 캔버스의 레이어와 연결해 보여 줍니다</translation>
    </message>
    <message>
        <source>The training settings have an error: {error}</source>
        <translation>학습 설정에 오류가 있습니다: {error}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;How to read it&lt;/b&gt;&lt;/p&gt;&lt;p&gt;At the top is the loss. &lt;code&gt;loss.backward()&lt;/code&gt; starts there and passes the gradient down each arrow, to the parameters at the bottom.&lt;/p&gt;&lt;p&gt;&lt;b&gt;grad_fn&lt;/b&gt; (a square box): every tensor computed from one that requires a gradient remembers the operation that made it, &lt;code&gt;t.grad_fn&lt;/code&gt;. Its backward turns the gradient of its output into gradients of its inputs. The strip&apos;s colour is the layer whose forward ran it, as on the canvas: point at a box to select that layer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;AccumulateGrad&lt;/b&gt; (a rounded leaf): a parameter, a leaf tensor with &lt;code&gt;requires_grad=True&lt;/code&gt;. Backward adds into its &lt;code&gt;.grad&lt;/code&gt;; &lt;code&gt;optimizer.step()&lt;/code&gt; reads it and &lt;code&gt;optimizer.zero_grad()&lt;/code&gt; clears it.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Frozen&lt;/b&gt; (grey, dashed): a layer with &lt;code&gt;trainable: false&lt;/code&gt; has &lt;code&gt;requires_grad=False&lt;/code&gt;. No arrow reaches it and its &lt;code&gt;.grad&lt;/code&gt; stays None.&lt;/p&gt;&lt;p&gt;&lt;b&gt;no_grad / eval()&lt;/b&gt;: under &lt;code&gt;with torch.no_grad():&lt;/code&gt; none of this is recorded; evaluation and prediction run that way. &lt;code&gt;model.eval()&lt;/code&gt; is different: it switches Dropout and BatchNorm to their inference behaviour, and gradients are still recorded unless no_grad is on.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;읽는 방법&lt;/b&gt;&lt;/p&gt;&lt;p&gt;맨 위가 손실입니다. &lt;code&gt;loss.backward()&lt;/code&gt;가 여기서 시작해 화살표를 따라 아래쪽 파라미터까지 변화도(gradient)를 전달합니다.&lt;/p&gt;&lt;p&gt;&lt;b&gt;grad_fn&lt;/b&gt;(네모 상자): 변화도가 필요한 텐서로 계산한 텐서는 자신을 만든 연산을 &lt;code&gt;t.grad_fn&lt;/code&gt;에 기억합니다. 그 역전파는 출력의 변화도를 입력의 변화도로 바꿉니다. 띠의 색은 캔버스에서처럼 그 연산을 forward에서 실행한 레이어의 색입니다. 상자를 가리키면 그 레이어가 선택됩니다.&lt;/p&gt;&lt;p&gt;&lt;b&gt;AccumulateGrad&lt;/b&gt;(둥근 잎 노드): 파라미터, 즉 &lt;code&gt;requires_grad=True&lt;/code&gt;인 잎(leaf) 텐서입니다. 역전파는 변화도를 &lt;code&gt;.grad&lt;/code&gt;에 더하고, &lt;code&gt;optimizer.step()&lt;/code&gt;이 이를 읽으며 &lt;code&gt;optimizer.zero_grad()&lt;/code&gt;가 비웁니다.&lt;/p&gt;&lt;p&gt;&lt;b&gt;고정됨&lt;/b&gt;(회색 점선): &lt;code&gt;trainable: false&lt;/code&gt;인 레이어는 &lt;code&gt;requires_grad=False&lt;/code&gt;입니다. 어떤 화살표도 닿지 않고 &lt;code&gt;.grad&lt;/code&gt;는 None으로 남습니다.&lt;/p&gt;&lt;p&gt;&lt;b&gt;no_grad / eval()&lt;/b&gt;: &lt;code&gt;with torch.no_grad():&lt;/code&gt; 안에서는 이 중 아무것도 기록되지 않습니다. 평가와 예측은 이렇게 실행됩니다. &lt;code&gt;model.eval()&lt;/code&gt;은 다릅니다. Dropout과 BatchNorm을 추론 동작으로 바꿀 뿐이며, no_grad가 아니면 변화도는 여전히 기록됩니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Autograd graph</source>
        <translation>Autograd 그래프</translation>
    </message>
    <message>
        <source>Run Again</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>One more batch, with the graph and weights as they are now</source>
        <translation>지금의 그래프와 가중치로 배치 하나를 더 실행합니다</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>맞추기</translation>
    </message>
    <message>
        <source>The whole graph in view (press again after zooming)</source>
        <translation>그래프 전체를 화면에 맞춥니다(확대한 뒤 다시 누르세요)</translation>
    </message>
    <message>
        <source>Running one batch forward to record its backward graph…</source>
        <translation>역전파 그래프를 기록하려고 배치 하나를 순전파하는 중…</translation>
    </message>
    <message>
        <source>The autograd graph could not be made.</source>
        <translation>Autograd 그래프를 만들 수 없습니다.</translation>
    </message>
    <message>
        <source>Loss {loss:.4g} on one batch of {batch} samples from {dataset}, with {weights}.</source>
        <translation>{dataset}의 샘플 {batch}개짜리 배치 하나에서 손실 {loss:.4g}, 사용한 가중치: {weights}.</translation>
    </message>
    <message>
        <source>{ops} backward operations; {params} parameters get a .grad.</source>
        <translation>역전파 연산 {ops}개, .grad를 받는 파라미터 {params}개.</translation>
    </message>
    <message>
        <source>Frozen, no gradient path: {layers}.</source>
        <translation>고정되어 변화도 경로가 없음: {layers}.</translation>
    </message>
    <message>
        <source>Trainable but not reached by this loss (their .grad stays None): {names}.</source>
        <translation>학습 가능하지만 이 손실이 닿지 않음(.grad가 None으로 남음): {names}.</translation>
    </message>
    <message>
        <source>{count} grad_fns farthest from the loss are left out to keep it readable.</source>
        <translation>읽기 쉽도록 손실에서 가장 먼 grad_fn {count}개는 생략했습니다.</translation>
    </message>
    <message>
        <source>Frozen layers: no gradient path</source>
        <translation>고정된 레이어: 변화도 경로 없음</translation>
    </message>
    <message>
        <source>{layer} · collapsed</source>
        <translation>{layer} · 접힘</translation>
    </message>
    <message>
        <source>{shape} · its .grad</source>
        <translation>{shape} · 이 텐서의 .grad</translation>
    </message>
    <message>
        <source>grad_fns: {count} · parameters: {params}</source>
        <translation>grad_fn {count}개 · 파라미터 {params}개</translation>
    </message>
    <message>
        <source>{layer} · grad {shape}</source>
        <translation>{layer} · 변화도 {shape}</translation>
    </message>
    <message>
        <source>&lt;b&gt;AccumulateGrad&lt;/b&gt;: adds the gradient into &lt;code&gt;{param}.grad&lt;/code&gt; ({shape}); the optimizer&apos;s step then reads it.</source>
        <translation>&lt;b&gt;AccumulateGrad&lt;/b&gt;: 변화도를 &lt;code&gt;{param}.grad&lt;/code&gt;({shape})에 더합니다. 이어서 옵티마이저의 step이 이 값을 읽습니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt;: {count} backward operations and {params} parameters, shown as one node to keep the picture readable.</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;: 역전파 연산 {count}개와 파라미터 {params}개를 그림이 읽기 쉽도록 노드 하나로 보여 줍니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: the backward of an operation of the loss.</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;: 손실 계산에 쓰인 연산의 역전파입니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: the backward of an operation in layer &lt;b&gt;{layer}&lt;/b&gt;&apos;s forward.</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;: 레이어 &lt;b&gt;{layer}&lt;/b&gt;의 forward에 있는 연산의 역전파입니다.</translation>
    </message>
    <message>
        <source>Receives the gradient of its output: {shapes}</source>
        <translation>출력의 변화도를 받음: {shapes}</translation>
    </message>
    <message>
        <source>Saved for backward: {saved}</source>
        <translation>역전파를 위해 저장한 값: {saved}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{layer}&lt;/b&gt; is frozen (trainable: false): its parameters have requires_grad=False, so autograd records no operation that leads to them, backward() never reaches them and their .grad stays None.</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;은(는) 고정되어 있습니다(trainable: false). 파라미터가 requires_grad=False이므로 autograd는 이들로 이어지는 연산을 기록하지 않고, backward()가 닿지 않으며 .grad는 None으로 남습니다.</translation>
    </message>
    <message>
        <source>{layer} · frozen</source>
        <translation>{layer} · 고정됨</translation>
    </message>
    <message>
        <source>requires_grad=False: no path</source>
        <translation>requires_grad=False: 경로 없음</translation>
    </message>
    <message>
        <source>showing the autograd graph failed unexpectedly: {kind}: {error}</source>
        <translation>Autograd 그래프를 보여 주다가 예기치 않게 실패했습니다: {kind}: {error}</translation>
    </message>
    <message>
        <source>fresh (untrained) weights</source>
        <translation>새(학습하지 않은) 가중치</translation>
    </message>
    <message>
        <source>fresh (untrained) weights: {source} could not be read ({error})</source>
        <translation>새(학습하지 않은) 가중치: {source}을(를) 읽을 수 없음({error})</translation>
    </message>
    <message>
        <source>the trained weights</source>
        <translation>학습된 가중치</translation>
    </message>
    <message>
        <source>{source}; {count} tensors kept fresh weights (the graph changed since)</source>
        <translation>{source}. 텐서 {count}개는 새 가중치를 유지함(그 뒤로 그래프가 바뀜)</translation>
    </message>
</context>
<context>
    <name>BlockNameDialog</name>
    <message>
        <source>Group into block</source>
        <translation>블록으로 묶기</translation>
    </message>
    <message>
        <source>The {count} selected nodes become one block node; the wires that cross the selection become its ports. It is also the class name in the exported code.</source>
        <translation>선택한 노드 {count}개가 블록 노드 하나가 되고, 선택 영역 경계를 지나는 연결선은 블록의 포트가 됩니다. 이 이름은 내보낸 코드의 클래스 이름으로도 쓰입니다.</translation>
    </message>
</context>
<context>
    <name>BlockNavigation</name>
    <message>
        <source>edits here change every use of the block</source>
        <translation>여기서 고치면 이 블록을 쓰는 모든 곳이 바뀝니다</translation>
    </message>
    <message>
        <source>Editing block {name}: changes apply to every use</source>
        <translation>블록 {name} 편집 중: 변경 사항은 이 블록을 쓰는 모든 곳에 적용됩니다</translation>
    </message>
    <message>
        <source>Select the nodes to group into a block first</source>
        <translation>먼저 블록으로 묶을 노드를 선택하세요</translation>
    </message>
    <message>
        <source>Cannot group</source>
        <translation>묶을 수 없음</translation>
    </message>
    <message>
        <source>Grouped {count} nodes into {name}; double-click {use} to edit it</source>
        <translation>노드 {count}개를 {name}(으)로 묶었습니다. 편집하려면 {use}을(를) 더블클릭하세요</translation>
    </message>
    <message>
        <source>Select one block node to ungroup</source>
        <translation>풀 블록 노드를 하나 선택하세요</translation>
    </message>
    <message>
        <source>Cannot ungroup</source>
        <translation>블록을 풀 수 없음</translation>
    </message>
    <message>
        <source>Select a block node to open it</source>
        <translation>열 블록 노드를 선택하세요</translation>
    </message>
    <message>
        <source>Select a block node to save it to the library</source>
        <translation>라이브러리에 저장할 블록 노드를 선택하세요</translation>
    </message>
    <message>
        <source>Cannot save block</source>
        <translation>블록을 저장할 수 없음</translation>
    </message>
    <message>
        <source>Saved block {name} to {path}</source>
        <translation>블록 {name}을(를) {path}에 저장했습니다</translation>
    </message>
    <message>
        <source>Cannot add block</source>
        <translation>블록을 추가할 수 없음</translation>
    </message>
</context>
<context>
    <name>Blocks</name>
    <message>
        <source>type a name, e.g. ResidualBlock</source>
        <translation>이름을 입력하세요(예: ResidualBlock)</translation>
    </message>
    <message>
        <source>this model already has a block named {name}</source>
        <translation>이 모델에는 이미 {name} 블록이 있습니다</translation>
    </message>
    <message>
        <source>Take from a block parameter</source>
        <translation>블록 파라미터에서 가져오기</translation>
    </message>
    <message>
        <source>Parameter of {block} (type a new name to add one):</source>
        <translation>{block}의 파라미터(새 이름을 입력하면 추가됩니다):</translation>
    </message>
</context>
<context>
    <name>Breadcrumb</name>
    <message>
        <source>Back to the model</source>
        <translation>모델로 돌아가기</translation>
    </message>
    <message>
        <source>Back to {name}</source>
        <translation>{name}(으)로 돌아가기</translation>
    </message>
    <message>
        <source>⟵ Back</source>
        <translation>⟵ 뒤로</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>10 classes of drawn shapes (disk, ring, square, ...), 28 or 32 px, 1 or 3 channels</source>
        <translation>그려진 도형 10개 클래스(원, 고리, 사각형 등), 28 또는 32픽셀, 1 또는 3채널</translation>
    </message>
    <message>
        <source>1x1 reduce, 3x3, 1x1 expand convolutions with batch norm and a skip connection (ResNet-50 bottleneck).</source>
        <translation>배치 정규화와 스킵 연결이 있는 1x1 축소, 3x3, 1x1 확장 합성곱입니다(ResNet-50 병목 블록).</translation>
    </message>
    <message>
        <source>32x32 colour photos, 10 classes (torchvision)</source>
        <translation>32x32 컬러 사진, 10개 클래스(torchvision)</translation>
    </message>
    <message>
        <source>A model input: one sample&apos;s shape (without the batch dim) and its dtype.</source>
        <translation>모델의 입력입니다. 샘플 하나의 모양(배치 차원 제외)과 dtype을 정합니다.</translation>
    </message>
    <message>
        <source>A model output: forward returns it (several Output nodes return a tuple).</source>
        <translation>모델의 출력입니다. forward가 이 값을 반환합니다(Output 노드가 여러 개이면 튜플로 반환).</translation>
    </message>
    <message>
        <source>A placeholder that passes its input on unchanged.</source>
        <translation>입력을 그대로 전달하는 자리 표시자입니다.</translation>
    </message>
    <message>
        <source>A simple lookup table that stores embeddings of a fixed dictionary and size.</source>
        <translation>고정된 크기의 사전에 대한 임베딩을 저장하는 간단한 룩업 테이블입니다.</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>활성화 함수</translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation>Adagrad</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>Adam and AdamW: decay rates of the gradient&apos;s running mean and square</source>
        <translation>Adam과 AdamW: 변화도의 이동 평균과 제곱의 이동 평균에 쓰는 감쇠율</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>Added to the denominator of adaptive optimizers, for stability</source>
        <translation>적응형 옵티마이저의 분모에 더하는 작은 값(수치 안정성용)</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>고급</translation>
    </message>
    <message>
        <source>Allows the model to jointly attend to information from different representation subspaces.</source>
        <translation>모델이 서로 다른 표현 부분 공간의 정보에 함께 주의를 기울일 수 있게 합니다.</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <source>Apple MPS</source>
        <translation>Apple MPS</translation>
    </message>
    <message>
        <source>Applies Batch Normalization over a 2D or 3D input.</source>
        <translation>2D 또는 3D 입력에 배치 정규화를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies Batch Normalization over a 4D input.</source>
        <translation>4D 입력에 배치 정규화를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies Group Normalization over a mini-batch of inputs.</source>
        <translation>입력 미니배치에 그룹 정규화를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies Instance Normalization.</source>
        <translation>인스턴스 정규화를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies Layer Normalization over a mini-batch of inputs.</source>
        <translation>입력 미니배치에 레이어 정규화를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 1D adaptive average pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 1D 적응형 평균 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 1D average pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 1D 평균 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 1D convolution over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 1D 합성곱을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 1D max pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 1D 최대 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D adaptive average pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 2D 적응형 평균 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D adaptive max pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 2D 적응형 최대 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D average pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 2D 평균 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D convolution over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 2D 합성곱을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D max pooling over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 2D 최대 풀링을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 2D transposed convolution operator over an input image composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 이미지에 2D 전치 합성곱을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a 3D convolution over an input signal composed of several input planes.</source>
        <translation>여러 입력 평면으로 이루어진 입력 신호에 3D 합성곱을 적용합니다.</translation>
    </message>
    <message>
        <source>Applies a bilinear transformation to the incoming data: y = x_1^T A x_2 + b.</source>
        <translation>입력 데이터에 쌍선형 변환을 적용합니다: y = x_1^T A x_2 + b.</translation>
    </message>
    <message>
        <source>Applies an affine linear transformation to the incoming data: y = xA^T + b.</source>
        <translation>입력 데이터에 아핀 선형 변환을 적용합니다: y = xA^T + b.</translation>
    </message>
    <message>
        <source>Applies the Exponential Linear Unit (ELU) function, element-wise.</source>
        <translation>ELU(Exponential Linear Unit) 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Gaussian Error Linear Units function.</source>
        <translation>GELU(Gaussian Error Linear Units) 함수를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Hardsigmoid function element-wise.</source>
        <translation>Hardsigmoid 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Hardswish function, element-wise.</source>
        <translation>Hardswish 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Hyperbolic Tangent (Tanh) function element-wise.</source>
        <translation>하이퍼볼릭 탄젠트(Tanh) 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the LeakyReLU function element-wise.</source>
        <translation>LeakyReLU 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Mish function, element-wise.</source>
        <translation>Mish 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the ReLU6 function element-wise.</source>
        <translation>ReLU6 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Sigmoid Linear Unit (SiLU) function, element-wise.</source>
        <translation>SiLU(Sigmoid Linear Unit) 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Sigmoid function element-wise.</source>
        <translation>시그모이드 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the Softmax function to an n-dimensional input Tensor.</source>
        <translation>n차원 입력 텐서에 소프트맥스 함수를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the element-wise PReLU function.</source>
        <translation>PReLU 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the log(Softmax(x)) function to an n-dimensional input Tensor.</source>
        <translation>n차원 입력 텐서에 log(Softmax(x)) 함수를 적용합니다.</translation>
    </message>
    <message>
        <source>Applies the rectified linear unit function element-wise.</source>
        <translation>ReLU(정류 선형 유닛) 함수를 요소별로 적용합니다.</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Auto (from dataset)</source>
        <translation>자동(데이터셋에 따름)</translation>
    </message>
    <message>
        <source>Auto (from task)</source>
        <translation>자동(작업에 따름)</translation>
    </message>
    <message>
        <source>BCE</source>
        <translation>BCE</translation>
    </message>
    <message>
        <source>BCE with logits</source>
        <translation>BCE(로짓 입력)</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Batches per point of the per-step loss curve</source>
        <translation>스텝별 손실 곡선에서 점 하나가 나타내는 배치 수</translation>
    </message>
    <message>
        <source>Betas</source>
        <translation>Betas</translation>
    </message>
    <message>
        <source>Binary</source>
        <translation>이진 분류</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>블록</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>채널 수</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>클래스 수</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>분류</translation>
    </message>
    <message>
        <source>Classification, binary or regression; auto follows the dataset&apos;s targets</source>
        <translation>분류, 이진 분류 또는 회귀. 자동이면 데이터셋의 타깃을 따릅니다</translation>
    </message>
    <message>
        <source>Concatenates its inputs along a dim (1 = channels / features).</source>
        <translation>입력들을 한 차원을 따라 이어 붙입니다(1 = 채널 / 특징).</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>Conv autoencoder</source>
        <translation>합성곱 오토인코더</translation>
    </message>
    <message>
        <source>ConvNeXt-Tiny from torchvision (28.6M params), ImageNet weights optional; features only gives the pooled 768-wide feature vector.</source>
        <translation>torchvision의 ConvNeXt-Tiny(파라미터 2,860만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 768차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>합성곱</translation>
    </message>
    <message>
        <source>Cosine annealing</source>
        <translation>코사인 어닐링</translation>
    </message>
    <message>
        <source>Cosine annealing: epochs from the full learning rate down to zero</source>
        <translation>코사인 어닐링: 학습률이 처음 값에서 0까지 내려가는 데 걸리는 에폭 수</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>교차 엔트로피</translation>
    </message>
    <message>
        <source>Cross-entropy only: the share of the target spread over the other classes</source>
        <translation>교차 엔트로피 전용: 정답 확률 중 다른 클래스에 나눠 주는 비율</translation>
    </message>
    <message>
        <source>DEFAULT: torchvision&apos;s best ImageNet weights, downloaded once into the torch cache; none: random initialisation</source>
        <translation>DEFAULT: torchvision의 가장 좋은 ImageNet 가중치(torch 캐시에 한 번만 내려받음), none: 무작위 초기화</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Dataset options</source>
        <translation>데이터셋 옵션</translation>
    </message>
    <message>
        <source>Dataset&apos;s default</source>
        <translation>데이터셋 기본값</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>구분자</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>내려받기</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>드롭아웃</translation>
    </message>
    <message>
        <source>During training, randomly zeroes some of the elements of the input tensor with probability p.</source>
        <translation>학습 중에 입력 텐서의 일부 요소를 확률 p로 무작위로 0으로 만듭니다.</translation>
    </message>
    <message>
        <source>EfficientNet-B0 from torchvision (5.3M params), ImageNet weights optional; features only gives the pooled 1280-wide feature vector.</source>
        <translation>torchvision의 EfficientNet-B0(파라미터 530만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 1280차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>Element-wise product of its inputs (gating).</source>
        <translation>입력들의 요소별 곱입니다(게이팅).</translation>
    </message>
    <message>
        <source>Element-wise sum of its inputs (a residual connection).</source>
        <translation>입력들의 요소별 합입니다(잔차 연결).</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Epsilon</source>
        <translation>Epsilon</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>배율</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>특징 수</translation>
    </message>
    <message>
        <source>Fine-tune everything</source>
        <translation>전체 미세조정</translation>
    </message>
    <message>
        <source>Fixes the initial weights, the split and the shuffle order (random: new each run)</source>
        <translation>초기 가중치, 데이터 분할, 섞는 순서를 고정합니다(무작위: 실행마다 새로 정함)</translation>
    </message>
    <message>
        <source>Flattens a contiguous range of dims into a tensor.</source>
        <translation>연속된 여러 차원을 하나로 평탄화합니다.</translation>
    </message>
    <message>
        <source>Freeze the backbone, train the head</source>
        <translation>백본은 고정하고 헤드만 학습</translation>
    </message>
    <message>
        <source>GRU recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation>(N, 시간, 특징) 시퀀스를 처리하는 GRU 순환 레이어입니다. 시퀀스 출력과 마지막 은닉 상태를 내보냅니다.</translation>
    </message>
    <message>
        <source>Gamma</source>
        <translation>Gamma</translation>
    </message>
    <message>
        <source>Gradient clip</source>
        <translation>변화도 클리핑</translation>
    </message>
    <message>
        <source>How the learning rate changes while training</source>
        <translation>학습하는 동안 학습률이 바뀌는 방식</translation>
    </message>
    <message>
        <source>How the weights are updated from their gradients</source>
        <translation>변화도로 가중치를 갱신하는 방식</translation>
    </message>
    <message>
        <source>Huber</source>
        <translation>Huber</translation>
    </message>
    <message>
        <source>Huber delta</source>
        <translation>Huber delta</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>이미지 크기</translation>
    </message>
    <message>
        <source>Input / Output</source>
        <translation>입력 / 출력</translation>
    </message>
    <message>
        <source>Inserts a dim of size 1.</source>
        <translation>크기 1인 차원을 추가합니다.</translation>
    </message>
    <message>
        <source>L1 (MAE)</source>
        <translation>L1 (MAE)</translation>
    </message>
    <message>
        <source>L2 penalty on the weights (AdamW: decoupled decay)</source>
        <translation>가중치에 주는 L2 페널티(AdamW: 분리된 가중치 감쇠)</translation>
    </message>
    <message>
        <source>LSTM recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation>(N, 시간, 특징) 시퀀스를 처리하는 LSTM 순환 레이어입니다. 시퀀스 출력과 마지막 은닉 상태를 내보냅니다.</translation>
    </message>
    <message>
        <source>LSTM text classifier</source>
        <translation>LSTM 텍스트 분류기</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>레이블 스무딩</translation>
    </message>
    <message>
        <source>LeNet</source>
        <translation>LeNet</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>학습률 스케줄</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>Linear &amp; Embedding</source>
        <translation>선형 &amp; 임베딩</translation>
    </message>
    <message>
        <source>Linear regression</source>
        <translation>선형 회귀</translation>
    </message>
    <message>
        <source>Loader workers</source>
        <translation>데이터 로더 워커 수</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>병합</translation>
    </message>
    <message>
        <source>Mixed precision (CUDA)</source>
        <translation>혼합 정밀도(CUDA)</translation>
    </message>
    <message>
        <source>MobileNetV2 from torchvision (3.5M params), ImageNet weights optional; features only gives the pooled 1280-wide feature vector.</source>
        <translation>torchvision의 MobileNetV2(파라미터 350만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 1280차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>MobileNetV3-Small from torchvision (2.5M params), ImageNet weights optional; features only gives the pooled 576-wide feature vector.</source>
        <translation>torchvision의 MobileNetV3-Small(파라미터 250만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 576차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>Multivariate regression</source>
        <translation>다변량 회귀</translation>
    </message>
    <message>
        <source>N</source>
        <translation>샘플 수</translation>
    </message>
    <message>
        <source>NLL</source>
        <translation>NLL</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>네스테로프 모멘텀</translation>
    </message>
    <message>
        <source>No</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>잡음</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>정규화</translation>
    </message>
    <message>
        <source>One-cycle</source>
        <translation>원 사이클</translation>
    </message>
    <message>
        <source>One-cycle: the highest learning rate, reached about a third of the way in</source>
        <translation>원 사이클: 학습의 약 3분의 1 지점에서 도달하는 가장 높은 학습률</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Pads the input tensor boundaries with zero.</source>
        <translation>입력 텐서의 가장자리를 0으로 채웁니다(패딩).</translation>
    </message>
    <message>
        <source>Parallel 1x1, 3x3, 5x5 and pooled branches concatenated along the channels (GoogLeNet inception module).</source>
        <translation>1x1, 3x3, 5x5, 풀링 분기를 나란히 두고 채널 방향으로 이어 붙입니다(GoogLeNet 인셉션 모듈).</translation>
    </message>
    <message>
        <source>Passes over the training data (when resuming: the total, not the extra)</source>
        <translation>학습 데이터를 몇 번 훑을지(이어서 학습할 때는 추가분이 아니라 전체 에폭 수)</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>Patience</source>
        <translation>Patience</translation>
    </message>
    <message>
        <source>Peak learning rate</source>
        <translation>최대 학습률</translation>
    </message>
    <message>
        <source>Period (epochs)</source>
        <translation>주기(에폭)</translation>
    </message>
    <message>
        <source>Picks one index along a dim, dropping it (e.g. the last time step: dim 1, index -1).</source>
        <translation>한 차원에서 인덱스 하나를 골라내고 그 차원을 없앱니다(예: 마지막 시간 단계는 dim 1, index -1).</translation>
    </message>
    <message>
        <source>Pooling &amp; Resize</source>
        <translation>풀링 &amp; 크기 조정</translation>
    </message>
    <message>
        <source>Pre-norm transformer encoder layer: LayerNorm, self-attention and a skip, then LayerNorm, an MLP and a skip.</source>
        <translation>프리-노름 트랜스포머 인코더 레이어입니다: LayerNorm, 셀프 어텐션, 스킵 연결 다음에 LayerNorm, MLP, 스킵 연결.</translation>
    </message>
    <message>
        <source>Pretrained backbones</source>
        <translation>사전 학습된 백본</translation>
    </message>
    <message>
        <source>Processes reading the data (0: in the training process; in-memory sets need none)</source>
        <translation>데이터를 읽는 프로세스 수(0: 학습 프로세스에서 직접 읽음. 메모리에 올라간 데이터셋은 필요 없음)</translation>
    </message>
    <message>
        <source>Quickstart MLP</source>
        <translation>빠른 시작 MLP</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>RMSprop: decay rate of the running mean of squared gradients</source>
        <translation>RMSprop: 변화도 제곱의 이동 평균에 쓰는 감쇠율</translation>
    </message>
    <message>
        <source>RNN recurrent layer over a (N, time, features) sequence; outputs the sequence and the final hidden state(s).</source>
        <translation>(N, 시간, 특징) 시퀀스를 처리하는 RNN 순환 레이어입니다. 시퀀스 출력과 마지막 은닉 상태를 내보냅니다.</translation>
    </message>
    <message>
        <source>Randomly zero out entire channels.</source>
        <translation>채널 전체를 무작위로 0으로 만듭니다.</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>순환</translation>
    </message>
    <message>
        <source>Reduce on plateau</source>
        <translation>정체 시 감소</translation>
    </message>
    <message>
        <source>Reduce on plateau: epochs without improvement before the rate drops</source>
        <translation>정체 시 감소: 개선이 없을 때 학습률을 낮추기까지 기다리는 에폭 수</translation>
    </message>
    <message>
        <source>Reduce on plateau: the factor the learning rate is multiplied by</source>
        <translation>정체 시 감소: 학습률에 곱하는 배율</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>회귀</translation>
    </message>
    <message>
        <source>Removes a dim of size 1.</source>
        <translation>크기 1인 차원을 제거합니다.</translation>
    </message>
    <message>
        <source>Reorders the dims (include 0, the batch dim, e.g. [0, 2, 1]).</source>
        <translation>차원의 순서를 바꿉니다(배치 차원인 0도 포함, 예: [0, 2, 1]).</translation>
    </message>
    <message>
        <source>Report every (batches)</source>
        <translation>기록 간격(배치)</translation>
    </message>
    <message>
        <source>ResNet-18 from torchvision (11.7M params), ImageNet weights optional; features only gives the pooled 512-wide feature vector.</source>
        <translation>torchvision의 ResNet-18(파라미터 1,170만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 512차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>ResNet-34 from torchvision (21.8M params), ImageNet weights optional; features only gives the pooled 512-wide feature vector.</source>
        <translation>torchvision의 ResNet-34(파라미터 2,180만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 512차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>ResNet-50 from torchvision (25.6M params), ImageNet weights optional; features only gives the pooled 2048-wide feature vector.</source>
        <translation>torchvision의 ResNet-50(파라미터 2,560만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 2048차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>Rescale the gradients when their norm is above this</source>
        <translation>변화도 노름이 이 값을 넘으면 변화도를 줄여 맞춥니다</translation>
    </message>
    <message>
        <source>Reshapes each sample to a new shape (batch dim kept); -1 infers one dim.</source>
        <translation>각 샘플을 새 모양으로 바꿉니다(배치 차원은 유지). -1인 차원 하나는 자동으로 계산합니다.</translation>
    </message>
    <message>
        <source>Residual block</source>
        <translation>잔차 블록</translation>
    </message>
    <message>
        <source>Resnet blocks</source>
        <translation>ResNet 블록</translation>
    </message>
    <message>
        <source>Root</source>
        <translation>루트 폴더</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>SGD and RMSprop: how much of the previous update carries into the next</source>
        <translation>SGD와 RMSprop: 이전 갱신이 다음 갱신에 이어지는 정도</translation>
    </message>
    <message>
        <source>SGD with momentum &gt; 0: look ahead along the momentum before the gradient</source>
        <translation>모멘텀 &gt; 0인 SGD: 변화도를 구하기 전에 모멘텀 방향으로 미리 내다봅니다</translation>
    </message>
    <message>
        <source>Samples per update</source>
        <translation>갱신 한 번에 쓰는 샘플 수</translation>
    </message>
    <message>
        <source>Scale inputs to mean 0, std 1 per feature (images: yes; the linear sets: no)</source>
        <translation>특징마다 입력을 평균 0, 표준편차 1로 맞춥니다(이미지: 예, 선형 데이터셋: 아니요)</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>모양 변환</translation>
    </message>
    <message>
        <source>Shuffle each epoch</source>
        <translation>에폭마다 섞기</translation>
    </message>
    <message>
        <source>Smooth L1</source>
        <translation>Smooth L1</translation>
    </message>
    <message>
        <source>Standardise inputs</source>
        <translation>입력 표준화</translation>
    </message>
    <message>
        <source>Step decay</source>
        <translation>단계적 감소</translation>
    </message>
    <message>
        <source>Step decay: epochs between two multiplications by gamma</source>
        <translation>단계적 감소: gamma를 곱하는 간격(에폭)</translation>
    </message>
    <message>
        <source>Step decay: the factor the learning rate is multiplied by at each step</source>
        <translation>단계적 감소: 매 단계 학습률에 곱하는 배율</translation>
    </message>
    <message>
        <source>Step every</source>
        <translation>감소 간격</translation>
    </message>
    <message>
        <source>Swaps two dims.</source>
        <translation>두 차원을 맞바꿉니다.</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>타깃 열</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Test root</source>
        <translation>테스트 루트 폴더</translation>
    </message>
    <message>
        <source>The Output node the loss trains; needed when the graph has several</source>
        <translation>손실로 학습할 Output 노드. 그래프에 Output이 여러 개일 때 필요합니다</translation>
    </message>
    <message>
        <source>The chosen dataset&apos;s own options (size, noise, path, columns...)</source>
        <translation>고른 데이터셋 고유의 옵션(크기, 잡음, 경로, 열 등)</translation>
    </message>
    <message>
        <source>The share of the data held out to validate each epoch (0: none)</source>
        <translation>에폭마다 검증에 쓰려고 떼어 두는 데이터 비율(0: 검증 안 함)</translation>
    </message>
    <message>
        <source>The step size of each update; the arrows double or halve it</source>
        <translation>갱신 한 번의 보폭. 화살표를 누르면 두 배 또는 절반이 됩니다</translation>
    </message>
    <message>
        <source>Train from scratch</source>
        <translation>처음부터 학습</translation>
    </message>
    <message>
        <source>Trained output</source>
        <translation>학습할 출력</translation>
    </message>
    <message>
        <source>Transfer is not advised</source>
        <translation>전이 학습은 권하지 않음</translation>
    </message>
    <message>
        <source>Transfer resnet18</source>
        <translation>ResNet-18 전이 학습</translation>
    </message>
    <message>
        <source>TransformerEncoderLayer is made up of self-attn and feedforward network.</source>
        <translation>TransformerEncoderLayer는 셀프 어텐션과 피드포워드 신경망으로 이루어져 있습니다.</translation>
    </message>
    <message>
        <source>Two 3x3 convolutions with batch norm and a skip connection (ResNet basic block).</source>
        <translation>배치 정규화와 스킵 연결이 있는 3x3 합성곱 두 개입니다(ResNet 기본 블록).</translation>
    </message>
    <message>
        <source>Two branch concat</source>
        <translation>두 분기 연결</translation>
    </message>
    <message>
        <source>Unflattens a tensor dim expanding it to a desired shape.</source>
        <translation>텐서의 한 차원을 원하는 모양으로 펼쳐 복원합니다.</translation>
    </message>
    <message>
        <source>Upsamples a given multi-channel 1D (temporal), 2D (spatial) or 3D (volumetric) data.</source>
        <translation>다채널 1D(시간), 2D(공간), 3D(부피) 데이터를 업샘플링합니다.</translation>
    </message>
    <message>
        <source>VGG-11 with batch norm from torchvision (132.9M params), ImageNet weights optional; features only gives the pooled 25088-wide feature vector.</source>
        <translation>torchvision의 배치 정규화가 있는 VGG-11(파라미터 1억 3,290만 개)입니다. ImageNet 가중치는 선택이며, features only로 풀링된 25088차원 특징 벡터만 얻습니다.</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>검증 데이터 비율</translation>
    </message>
    <message>
        <source>Visit the training samples in a new order every epoch</source>
        <translation>에폭마다 학습 샘플을 새 순서로 봅니다</translation>
    </message>
    <message>
        <source>Vocab</source>
        <translation>어휘 크기</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>What to train on: a built-in set, an image folder, a CSV file or a torchvision set</source>
        <translation>학습할 데이터: 내장 데이터셋, 이미지 폴더, CSV 파일 또는 torchvision 데이터셋</translation>
    </message>
    <message>
        <source>What training minimises; auto picks cross-entropy, BCE with logits or MSE</source>
        <translation>학습이 최소화할 값. 자동이면 교차 엔트로피, BCE(로짓 입력), MSE 중에서 고릅니다</translation>
    </message>
    <message>
        <source>Where the Huber / Smooth L1 loss turns from squared to linear</source>
        <translation>Huber / Smooth L1 손실이 제곱에서 선형으로 바뀌는 지점</translation>
    </message>
    <message>
        <source>Where to train; auto takes a GPU when there is one</source>
        <translation>학습할 장치. 자동이면 GPU가 있을 때 GPU를 씁니다</translation>
    </message>
    <message>
        <source>With little data on a task like ImageNet, keep the pretrained features frozen and train only the new head, so a few thousand images cannot overfit millions of weights.</source>
        <translation>ImageNet과 비슷한 작업에 데이터가 적다면 사전 학습된 특징은 고정하고 새 헤드만 학습하세요. 그래야 수천 장의 이미지로 수백만 개의 가중치를 학습하다 과적합되는 일을 막을 수 있습니다.</translation>
    </message>
    <message>
        <source>With little data on a task unlike ImageNet, pretrained features help little and a large model overfits: prefer a smaller model, data augmentation, or collecting more data.</source>
        <translation>ImageNet과 다른 작업에 데이터까지 적다면 사전 학습된 특징은 별 도움이 안 되고 큰 모델은 과적합됩니다. 더 작은 모델이나 데이터 증강을 쓰거나 데이터를 더 모으세요.</translation>
    </message>
    <message>
        <source>With plenty of data on a task like ImageNet, start from the pretrained weights and train every layer, best with a learning rate about ten times smaller than from scratch.</source>
        <translation>ImageNet과 비슷한 작업에 데이터가 충분하다면 사전 학습된 가중치에서 시작해 모든 레이어를 학습하세요. 학습률은 처음부터 학습할 때의 10분의 1 정도가 좋습니다.</translation>
    </message>
    <message>
        <source>With plenty of data on a task unlike ImageNet (X-rays, spectrograms, satellite bands), keep the architecture but start from random weights and train everything.</source>
        <translation>ImageNet과 다른 작업(X선, 스펙트로그램, 위성 밴드 등)에 데이터가 충분하다면 구조는 그대로 두고 무작위 가중치에서 시작해 전체를 학습하세요.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>a CSV file: a header line, numeric feature columns and one target column (class names or numbers)</source>
        <translation>CSV 파일: 헤더 한 줄, 숫자 특징 열들과 타깃 열 하나(클래스 이름 또는 숫자)</translation>
    </message>
    <message>
        <source>a tensor dim counted with the batch dim (0 is the batch)</source>
        <translation>배치 차원을 포함해 센 텐서 차원(0이 배치)</translation>
    </message>
    <message>
        <source>a third of the epochs</source>
        <translation>에폭의 3분의 1</translation>
    </message>
    <message>
        <source>all epochs</source>
        <translation>전체 에폭</translation>
    </message>
    <message>
        <source>always true: nodeml tensors put the batch first</source>
        <translation>항상 true: nodeml의 텐서는 배치 차원이 맨 앞입니다</translation>
    </message>
    <message>
        <source>attention heads (dim must divide by it)</source>
        <translation>어텐션 헤드 수(dim이 이 값으로 나누어떨어져야 함)</translation>
    </message>
    <message>
        <source>channels in and out</source>
        <translation>입력과 출력 채널 수</translation>
    </message>
    <message>
        <source>channels in and out: width x expansion (4 in ResNet-50)</source>
        <translation>입력과 출력 채널 수: width × 확장 배수(ResNet-50에서는 4)</translation>
    </message>
    <message>
        <source>channels of the 1x1 branch</source>
        <translation>1x1 분기의 채널 수</translation>
    </message>
    <message>
        <source>channels of the 3x3 branch</source>
        <translation>3x3 분기의 채널 수</translation>
    </message>
    <message>
        <source>channels of the 3x3 convolution</source>
        <translation>3x3 합성곱의 채널 수</translation>
    </message>
    <message>
        <source>channels of the 5x5 branch</source>
        <translation>5x5 분기의 채널 수</translation>
    </message>
    <message>
        <source>channels of the pooled branch</source>
        <translation>풀링 분기의 채널 수</translation>
    </message>
    <message>
        <source>clothing images, 28x28 grey (torchvision)</source>
        <translation>옷 이미지, 28x28 흑백(torchvision)</translation>
    </message>
    <message>
        <source>dataset&apos;s default</source>
        <translation>데이터셋 기본값</translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (classifier) so a head of your classes follows</source>
        <translation>ImageNet 분류기(classifier)를 떼어 내고 내 클래스에 맞는 헤드를 붙입니다</translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (classifier[2]) so a head of your classes follows</source>
        <translation>ImageNet 분류기(classifier[2])를 떼어 내고 내 클래스에 맞는 헤드를 붙입니다</translation>
    </message>
    <message>
        <source>drop the ImageNet classifier (fc) so a head of your classes follows</source>
        <translation>ImageNet 분류기(fc)를 떼어 내고 내 클래스에 맞는 헤드를 붙입니다</translation>
    </message>
    <message>
        <source>features inside the MLP</source>
        <translation>MLP 내부의 특징 수</translation>
    </message>
    <message>
        <source>features per token, in and out</source>
        <translation>토큰당 입력과 출력 특징 수</translation>
    </message>
    <message>
        <source>float16 where it is safe, on a CUDA GPU; elsewhere full precision (said in the run)</source>
        <translation>CUDA GPU에서 안전한 곳에만 float16을 씁니다. 그 밖에는 전체 정밀도(실행 기록에 표시)</translation>
    </message>
    <message>
        <source>handwritten digits, 28x28 grey (torchvision)</source>
        <translation>손글씨 숫자, 28x28 흑백(torchvision)</translation>
    </message>
    <message>
        <source>inferred from the input</source>
        <translation>입력에서 추론됨</translation>
    </message>
    <message>
        <source>inferred: the last dim</source>
        <translation>추론됨: 마지막 차원</translation>
    </message>
    <message>
        <source>interleaved 2-D spiral arms, one class per arm (classes=2..10)</source>
        <translation>서로 맞물린 2차원 나선 팔, 팔 하나가 클래스 하나(classes=2..10)</translation>
    </message>
    <message>
        <source>long for token ids</source>
        <translation>토큰 ID라면 long</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>shape without batch</source>
        <translation>배치를 뺀 모양</translation>
    </message>
    <message>
        <source>the graph&apos;s only Output</source>
        <translation>그래프의 유일한 Output</translation>
    </message>
    <message>
        <source>the learning rate</source>
        <translation>학습률과 같음</translation>
    </message>
    <message>
        <source>token-id sequences (long) whose class is the marker token they repeat: for Embedding -&gt; LSTM</source>
        <translation>반복되는 표지 토큰이 클래스인 토큰 ID 시퀀스(long): Embedding -&gt; LSTM 연습용</translation>
    </message>
    <message>
        <source>two interleaved 2-D half circles</source>
        <translation>서로 맞물린 2차원 반원 두 개</translation>
    </message>
    <message>
        <source>y = 1.5 x1 - 2 x2 + 0.5 x3 + 1 + noise: three features, one target</source>
        <translation>y = 1.5 x1 - 2 x2 + 0.5 x3 + 1 + 잡음: 특징 3개, 타깃 1개</translation>
    </message>
    <message>
        <source>y = 2x + 1 + noise, x in [-2, 2]: a Linear(1, 1) recovers w=2, b=1</source>
        <translation>y = 2x + 1 + 잡음, x는 [-2, 2] 범위: Linear(1, 1)로 w=2, b=1을 찾아냅니다</translation>
    </message>
    <message>
        <source>your images: root/&lt;class name&gt;/*.png, resized to image_size x image_size</source>
        <translation>내 이미지: root/&lt;클래스 이름&gt;/*.png, image_size x image_size 크기로 조정</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <source>Modules style</source>
        <translation>모듈 스타일</translation>
    </message>
    <message>
        <source>Functional style</source>
        <translation>함수형 스타일</translation>
    </message>
    <message>
        <source>modules: layers as attributes of the module; functional: F.relu(...) calls for layers without weights</source>
        <translation>모듈: 레이어를 모듈의 속성으로 둡니다. 함수형: 가중치가 없는 레이어는 F.relu(...) 같은 함수 호출로 씁니다</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Copy the code to the clipboard</source>
        <translation>코드를 클립보드에 복사합니다</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Save as a standalone .py file (the same as `nodeml export`)</source>
        <translation>독립 실행형 .py 파일로 저장합니다(`nodeml export`와 같음)</translation>
    </message>
    <message>
        <source>{count} problem(s): showing the last working code (see Problems)</source>
        <translation>문제 {count}개: 마지막으로 동작한 코드를 보여 줍니다(문제 패널 참고)</translation>
    </message>
    <message>
        <source>{count} problem(s): no code yet (see Problems)</source>
        <translation>문제 {count}개: 아직 코드가 없습니다(문제 패널 참고)</translation>
    </message>
</context>
<context>
    <name>CompactRuns</name>
    <message>
        <source>Compare runs</source>
        <translation>실행 비교</translation>
    </message>
    <message>
        <source>All runs…</source>
        <translation>모든 실행…</translation>
    </message>
    <message>
        <source>Every run with its status, epochs and what changed</source>
        <translation>모든 실행의 상태, 에폭, 바뀐 점</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>Confusion matrix</source>
        <translation>혼동 행렬</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>예측</translation>
    </message>
    <message>
        <source>true</source>
        <translation>실제</translation>
    </message>
    <message>
        <source>right</source>
        <translation>정답</translation>
    </message>
    <message>
        <source>taken for {guess}</source>
        <translation>{guess}(으)로 잘못 예측</translation>
    </message>
    <message>
        <source>true {truth}, predicted {guess}: {n:,} of {total:,} {truth} samples ({share:.1f} %) — {verdict}</source>
        <translation>실제 {truth}, 예측 {guess}: {truth} 샘플 {total:,}개 중 {n:,}개({share:.1f} %) — {verdict}</translation>
    </message>
</context>
<context>
    <name>DatasetPreview</name>
    <message>
        <source>Load preview</source>
        <translation>미리 보기 불러오기</translation>
    </message>
    <message>
        <source>Files on disk are read when you ask: click Load preview.</source>
        <translation>디스크의 파일은 요청할 때만 읽습니다. ‘미리 보기 불러오기’를 누르세요.</translation>
    </message>
    <message>
        <source>No preview: {reason}</source>
        <translation>미리 볼 수 없음: {reason}</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <source>unknown node type {type!r}</source>
        <translation>알 수 없는 노드 유형 {type!r}</translation>
    </message>
    <message>
        <source>input {port} of {id} is already connected</source>
        <translation>{id}의 입력 {port}은(는) 이미 연결되어 있습니다</translation>
    </message>
    <message>
        <source>id {id!r} is already used by another node</source>
        <translation>ID {id!r}은(는) 다른 노드가 이미 쓰고 있습니다</translation>
    </message>
    <message>
        <source>the model cannot change while it is training</source>
        <translation>학습 중에는 모델을 바꿀 수 없습니다</translation>
    </message>
    <message>
        <source>only a node inside a block can take a block parameter</source>
        <translation>블록 파라미터는 블록 안의 노드만 받을 수 있습니다</translation>
    </message>
    <message>
        <source>only a block has block parameters</source>
        <translation>블록 파라미터는 블록에만 있습니다</translation>
    </message>
    <message>
        <source>no file name yet; use Save As</source>
        <translation>아직 파일 이름이 없습니다. ‘다른 이름으로 저장’을 쓰세요</translation>
    </message>
</context>
<context>
    <name>ElidedLabel</name>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
</context>
<context>
    <name>EmptyCanvasHint</name>
    <message>
        <source>Drag layers from the palette or press &lt;b&gt;Tab&lt;/b&gt;</source>
        <translation>팔레트에서 레이어를 끌어오거나 &lt;b&gt;Tab&lt;/b&gt;을 누르세요</translation>
    </message>
    <message>
        <source>Double-click a layer to add it; with a node selected, it is wired after it.&lt;br&gt;Or open a ready-made model: File → Open Sample.</source>
        <translation>레이어를 더블클릭하면 추가됩니다. 노드를 선택해 두면 그 뒤에 연결됩니다.&lt;br&gt;또는 완성된 모델을 여세요: 파일 → 예제 열기.</translation>
    </message>
</context>
<context>
    <name>EvaluationView</name>
    <message>
        <source>Train a model, then click Evaluate to test it on held-out data.</source>
        <translation>모델을 학습한 뒤 ‘평가’를 누르면 따로 떼어 둔 데이터로 시험합니다.</translation>
    </message>
    <message>
        <source>Predicted vs true</source>
        <translation>예측값 대 실제값</translation>
    </message>
    <message>
        <source>true</source>
        <translation>실제</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>예측</translation>
    </message>
    <message>
        <source>Predictions on the first test samples: green right, red wrong (predicted ≠ true)</source>
        <translation>첫 테스트 샘플들의 예측: 초록은 정답, 빨강은 오답(예측 ≠ 실제)</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>nodeml graphs (*.json);;All files (*)</source>
        <translation>nodeml 그래프 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장되지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation>닫기 전에 “{name}”의 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>Open graph</source>
        <translation>그래프 열기</translation>
    </message>
    <message>
        <source>Cannot open {name}:</source>
        <translation>{name}을(를) 열 수 없습니다:</translation>
    </message>
    <message>
        <source>Cannot open file</source>
        <translation>파일을 열 수 없음</translation>
    </message>
    <message>
        <source>{name} has unsaved changes in another nodeml window: whichever saves last overwrites the other&apos;s changes</source>
        <translation>{name}은(는) 다른 nodeml 창에 저장되지 않은 변경 사항이 있습니다. 나중에 저장하는 쪽이 다른 쪽의 변경 사항을 덮어씁니다</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>열었습니다: {path}</translation>
    </message>
    <message>
        <source>Opened “{name}”, the graph the checkpoint carries</source>
        <translation>체크포인트에 담긴 그래프 “{name}”을(를) 열었습니다</translation>
    </message>
    <message>
        <source>Save graph as</source>
        <translation>다른 이름으로 그래프 저장</translation>
    </message>
    <message>
        <source>Cannot save {path}:</source>
        <translation>{path}에 저장할 수 없습니다:</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>저장할 수 없음</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>저장했습니다: {path}</translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation>목록 지우기</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>최근 파일 없음</translation>
    </message>
    <message>
        <source>Fix these problems first:</source>
        <translation>먼저 다음 문제를 고치세요:</translation>
    </message>
    <message>
        <source>Cannot export yet</source>
        <translation>아직 내보낼 수 없음</translation>
    </message>
    <message>
        <source>Export PyTorch code</source>
        <translation>PyTorch 코드 내보내기</translation>
    </message>
    <message>
        <source>Cannot write {path}:</source>
        <translation>{path}에 쓸 수 없습니다:</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>내보낼 수 없음</translation>
    </message>
    <message>
        <source>Exported {path} (nn.Sequential)</source>
        <translation>내보냈습니다: {path} (nn.Sequential)</translation>
    </message>
    <message>
        <source>Exported {path} ({style} style; not one straight chain, so a plain nn.Module)</source>
        <translation>내보냈습니다: {path} ({style} 스타일, 일렬로 이어진 구조가 아니어서 일반 nn.Module로 씀)</translation>
    </message>
    <message>
        <source>Exported {path} ({style} style)</source>
        <translation>내보냈습니다: {path} ({style} 스타일)</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>Build PyTorch models visually. The graph compiles to plain &lt;code&gt;nn.Module&lt;/code&gt; code that runs without nodeml.</source>
        <translation>PyTorch 모델을 눈으로 보며 만드세요. 그래프는 nodeml 없이도 실행되는 평범한 &lt;code&gt;nn.Module&lt;/code&gt; 코드로 컴파일됩니다.</translation>
    </message>
    <message>
        <source>Every number shown comes from PyTorch itself, run on the meta device.</source>
        <translation>화면의 모든 숫자는 meta 장치에서 실행한 PyTorch가 직접 계산한 값입니다.</translation>
    </message>
    <message>
        <source>MIT licence.</source>
        <translation>MIT 라이선스.</translation>
    </message>
    <message>
        <source>About nodeml</source>
        <translation>nodeml 정보</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import PyTorch model</source>
        <translation>PyTorch 모델 가져오기</translation>
    </message>
    <message>
        <source>A class in a Python file</source>
        <translation>Python 파일의 클래스</translation>
    </message>
    <message>
        <source>A torchvision model</source>
        <translation>torchvision 모델</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>e.g. 3, 32, 32 (torchvision: 3, 224, 224)</source>
        <translation>예: 3, 32, 32 (torchvision: 3, 224, 224)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>입력 모양</translation>
    </message>
    <message>
        <source>The file is run to build the model (your own code). torchvision models import with random weights, no download. The result opens as a new, unsaved graph.</source>
        <translation>모델을 만들기 위해 이 파일(내 코드)을 실행합니다. torchvision 모델은 내려받기 없이 무작위 가중치로 가져옵니다. 결과는 저장되지 않은 새 그래프로 열립니다.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Python file with the model</source>
        <translation>모델이 든 Python 파일</translation>
    </message>
    <message>
        <source>choose a .py file and the class to import</source>
        <translation>가져올 .py 파일과 클래스를 고르세요</translation>
    </message>
</context>
<context>
    <name>ImportExport</name>
    <message>
        <source>&amp;ONNX…</source>
        <translation>&amp;ONNX…</translation>
    </message>
    <message>
        <source>An .onnx file, checked by onnx.checker (and onnxruntime when installed)</source>
        <translation>onnx.checker로(설치되어 있으면 onnxruntime으로도) 검사한 .onnx 파일</translation>
    </message>
    <message>
        <source>&amp;TorchScript…</source>
        <translation>&amp;TorchScript…</translation>
    </message>
    <message>
        <source>A .pt file torch.jit.load reads without nodeml</source>
        <translation>nodeml 없이 torch.jit.load로 읽을 수 있는 .pt 파일</translation>
    </message>
    <message>
        <source>torch.e&amp;xport Program…</source>
        <translation>torch.e&amp;xport 프로그램…</translation>
    </message>
    <message>
        <source>A .pt2 program file (torch.export.load)</source>
        <translation>.pt2 프로그램 파일(torch.export.load)</translation>
    </message>
    <message>
        <source>&amp;Weights (safetensors)…</source>
        <translation>가중치(safetensors)(&amp;W)…</translation>
    </message>
    <message>
        <source>The model&apos;s weights as a .safetensors file</source>
        <translation>모델의 가중치를 .safetensors 파일로</translation>
    </message>
    <message>
        <source>Training &amp;Script…</source>
        <translation>학습 스크립트(&amp;S)…</translation>
    </message>
    <message>
        <source>A standalone train.py: model, train/evaluate, DDP</source>
        <translation>독립 실행형 train.py: 모델, 학습/평가, DDP</translation>
    </message>
    <message>
        <source>Cannot export yet</source>
        <translation>아직 내보낼 수 없음</translation>
    </message>
    <message>
        <source>Fix these problems first:</source>
        <translation>먼저 다음 문제를 고치세요:</translation>
    </message>
    <message>
        <source>Export {format}</source>
        <translation>{format} 내보내기</translation>
    </message>
    <message>
        <source>Cannot export {format}</source>
        <translation>{format}(으)로 내보낼 수 없음</translation>
    </message>
    <message>
        <source>Exported {format} to {path}</source>
        <translation>{format}(으)로 내보냄: {path}</translation>
    </message>
    <message>
        <source>onnxruntime matches PyTorch, max difference {diff:.2g}</source>
        <translation>onnxruntime 결과가 PyTorch와 일치, 최대 차이 {diff:.2g}</translation>
    </message>
    <message>
        <source>input shape {text!r}: write positive whole numbers, e.g. 3, 224, 224</source>
        <translation>입력 모양 {text!r}: 양의 정수로 쓰세요(예: 3, 224, 224)</translation>
    </message>
    <message>
        <source>Cannot import the model</source>
        <translation>모델을 가져올 수 없음</translation>
    </message>
    <message>
        <source>Imported {name}: {count} nodes</source>
        <translation>{name} 가져옴: 노드 {count}개</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… 외 {count}개</translation>
    </message>
    <message>
        <source>Layer types nodeml&apos;s catalog lacks: {types}</source>
        <translation>nodeml 카탈로그에 없는 레이어 유형: {types}</translation>
    </message>
    <message>
        <source>These parts of the model have no nodeml node:</source>
        <translation>모델에서 다음 부분은 대응하는 nodeml 노드가 없습니다:</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Block</source>
        <translation>블록</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Block parameters</source>
        <translation>블록 파라미터</translation>
    </message>
    <message>
        <source>has weights</source>
        <translation>가중치 있음</translation>
    </message>
    <message>
        <source>no weights</source>
        <translation>가중치 없음</translation>
    </message>
    <message>
        <source>Block · {count} nodes inside · {weights}</source>
        <translation>블록 · 내부 노드 {count}개 · {weights}</translation>
    </message>
    <message>
        <source>A graph used as one node.</source>
        <translation>노드 하나처럼 쓰는 그래프입니다.</translation>
    </message>
    <message>
        <source>Double-click it on the canvas to open and edit its definition.</source>
        <translation>캔버스에서 더블클릭하면 열어서 정의를 편집할 수 있습니다.</translation>
    </message>
    <message>
        <source>This type is not in the catalog; see the Problems panel.</source>
        <translation>카탈로그에 없는 유형입니다. 문제 패널을 보세요.</translation>
    </message>
    <message>
        <source>The node&apos;s id: its attribute name in the generated module</source>
        <translation>노드의 ID: 생성된 모듈에서 이 노드의 속성 이름입니다</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>학습 가능</translation>
    </message>
    <message>
        <source>Unticked: the weights are frozen (requires_grad=False)</source>
        <translation>체크를 끄면 가중치가 고정됩니다(requires_grad=False)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>= block param {name}</source>
        <translation>= 블록 파라미터 {name}</translation>
    </message>
    <message>
        <source>Unbind</source>
        <translation>연결 해제</translation>
    </message>
    <message>
        <source>Give this node its own value again</source>
        <translation>이 노드에 다시 자체 값을 줍니다</translation>
    </message>
    <message>
        <source>Take {name} from a parameter of {block}, set on each use of the block</source>
        <translation>{name}을(를) {block}의 파라미터에서 가져옵니다. 블록을 쓰는 곳마다 따로 정합니다</translation>
    </message>
    <message>
        <source>{count} nodes selected</source>
        <translation>노드 {count}개 선택됨</translation>
    </message>
    <message>
        <source>{params} params together. Select one to edit it.</source>
        <translation>합쳐서 파라미터 {params}개. 편집하려면 하나만 선택하세요.</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>선택한 것 없음</translation>
    </message>
    <message>
        <source>Select a node on the canvas to edit its parameters. Add layers by dragging them from the palette, double-clicking them, or pressing Tab.</source>
        <translation>캔버스에서 노드를 선택하면 파라미터를 편집할 수 있습니다. 팔레트에서 레이어를 끌어오거나 더블클릭하거나 Tab을 눌러 추가하세요.</translation>
    </message>
    <message>
        <source>{count} node(s) · {params:,} params · {macs}</source>
        <translation>노드 {count}개 · 파라미터 {params:,}개 · {macs}</translation>
    </message>
    <message>
        <source>{macs} MACs</source>
        <translation>MAC {macs}</translation>
    </message>
    <message>
        <source>None yet. Select an inner node and press ⇠ beside a parameter to set it per use.</source>
        <translation>아직 없습니다. 내부 노드를 선택하고 파라미터 옆의 ⇠를 누르면 사용하는 곳마다 값을 정할 수 있습니다.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Used by an inner node: unbind it first</source>
        <translation>내부 노드가 쓰고 있습니다. 먼저 연결을 해제하세요</translation>
    </message>
    <message>
        <source>Remove this parameter</source>
        <translation>이 파라미터를 제거합니다</translation>
    </message>
    <message>
        <source>unknown until the problems below are fixed</source>
        <translation>아래 문제를 고치기 전까지는 알 수 없음</translation>
    </message>
    <message>
        <source>unknown: an input is not ready yet (see Problems)</source>
        <translation>알 수 없음: 아직 준비되지 않은 입력이 있습니다(문제 패널 참고)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>{params:,} params · {macs}</source>
        <translation>파라미터 {params:,}개 · {macs}</translation>
    </message>
    <message>
        <source>{params:,} params, {trainable:,} trainable · {macs}</source>
        <translation>파라미터 {params:,}개, 학습 가능 {trainable:,}개 · {macs}</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System Default ({language})</source>
        <translation>시스템 기본값({language})</translation>
    </message>
    <message>
        <source>Takes effect when nodeml restarts</source>
        <translation>nodeml을 다시 시작하면 적용됩니다</translation>
    </message>
    <message>
        <source>{language} from the next start of nodeml</source>
        <translation>다음에 nodeml을 시작할 때부터 표시 언어: {language}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Layers</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>인스펙터</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>코드</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>문제</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty model</source>
        <translation>빈 모델로 시작합니다</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a graph file</source>
        <translation>그래프 파일을 엽니다</translation>
    </message>
    <message>
        <source>Recover Unsaved &amp;Work…</source>
        <translation>저장되지 않은 작업 복구(&amp;W)…</translation>
    </message>
    <message>
        <source>Unsaved changes autosaved by nodeml sessions that did not close normally</source>
        <translation>정상적으로 종료되지 않은 nodeml 세션이 자동 저장한 변경 사항</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save the graph</source>
        <translation>그래프를 저장합니다</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save under a new name</source>
        <translation>새 이름으로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Python code…</source>
        <translation>&amp;Python 코드…</translation>
    </message>
    <message>
        <source>Write standalone PyTorch code (as `nodeml export` does)</source>
        <translation>독립 실행형 PyTorch 코드를 씁니다(`nodeml export`와 같음)</translation>
    </message>
    <message>
        <source>Python Code as nn.&amp;Sequential…</source>
        <translation>nn.&amp;Sequential Python 코드…</translation>
    </message>
    <message>
        <source>A straight chain of layers as nn.Sequential(OrderedDict(...)), same state_dict keys</source>
        <translation>일렬로 이어진 레이어를 nn.Sequential(OrderedDict(...))로 씁니다. state_dict 키는 같습니다</translation>
    </message>
    <message>
        <source>&amp;Import PyTorch Model…</source>
        <translation>PyTorch 모델 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Trace a PyTorch model (a .py file&apos;s class or a torchvision model) into a new graph</source>
        <translation>PyTorch 모델(.py 파일의 클래스나 torchvision 모델)을 추적해 새 그래프로 만듭니다</translation>
    </message>
    <message>
        <source>&amp;Group into Block…</source>
        <translation>블록으로 묶기(&amp;G)…</translation>
    </message>
    <message>
        <source>Replace the selected nodes by one block node (the crossing wires become its ports)</source>
        <translation>선택한 노드를 블록 노드 하나로 바꿉니다(경계를 지나는 연결선은 포트가 됩니다)</translation>
    </message>
    <message>
        <source>U&amp;ngroup Block</source>
        <translation>블록 풀기(&amp;N)</translation>
    </message>
    <message>
        <source>Put the selected block&apos;s nodes back in its place</source>
        <translation>선택한 블록의 노드를 그 자리에 다시 풀어 놓습니다</translation>
    </message>
    <message>
        <source>&amp;Open Block</source>
        <translation>블록 열기(&amp;O)</translation>
    </message>
    <message>
        <source>Edit the selected block&apos;s definition</source>
        <translation>선택한 블록의 정의를 편집합니다</translation>
    </message>
    <message>
        <source>&amp;Back Out of Block</source>
        <translation>블록에서 나가기(&amp;B)</translation>
    </message>
    <message>
        <source>Return to the graph that uses this block</source>
        <translation>이 블록을 쓰는 그래프로 돌아갑니다</translation>
    </message>
    <message>
        <source>Save Block to &amp;Library…</source>
        <translation>블록을 라이브러리에 저장(&amp;L)…</translation>
    </message>
    <message>
        <source>Keep the selected block in your block library, for any model</source>
        <translation>선택한 블록을 내 블록 라이브러리에 보관해 어느 모델에서나 씁니다</translation>
    </message>
    <message>
        <source>&amp;Freeze All but the Head</source>
        <translation>헤드만 빼고 모두 고정(&amp;F)</translation>
    </message>
    <message>
        <source>Only the head (after the last backbone, or the last layers with weights) trains</source>
        <translation>헤드(마지막 백본 뒤, 또는 가중치가 있는 마지막 레이어들)만 학습합니다</translation>
    </message>
    <message>
        <source>&amp;Unfreeze All</source>
        <translation>모두 고정 해제(&amp;U)</translation>
    </message>
    <message>
        <source>Every layer with weights trains</source>
        <translation>가중치가 있는 모든 레이어를 학습합니다</translation>
    </message>
    <message>
        <source>&amp;Transfer Learning…</source>
        <translation>전이 학습(&amp;T)…</translation>
    </message>
    <message>
        <source>Freeze, fine-tune or start from scratch: the four usual situations, one click each</source>
        <translation>고정, 미세조정, 처음부터 학습: 흔한 네 가지 상황을 한 번에 적용합니다</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>잘라내기(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>복사(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>복제(&amp;U)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>모두 선택(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>삭제(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Add Layer…</source>
        <translation>레이어 추가(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Fit All</source>
        <translation>전체 보기(&amp;F)</translation>
    </message>
    <message>
        <source>Auto-&amp;layout</source>
        <translation>자동 배치(&amp;L)</translation>
    </message>
    <message>
        <source>Arrange the nodes left to right by data flow</source>
        <translation>데이터 흐름에 따라 노드를 왼쪽에서 오른쪽으로 배치합니다</translation>
    </message>
    <message>
        <source>&amp;About nodeml</source>
        <translation>nodeml 정보(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>Open &amp;Sample</source>
        <translation>예제 열기(&amp;S)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>내보내기(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>학습(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>테마(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>패널(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>고정 해제</translation>
    </message>
    <message>
        <source>Freeze (not trainable)</source>
        <translation>고정(학습 안 함)</translation>
    </message>
    <message>
        <source>Show in Autograd Graph…</source>
        <translation>Autograd 그래프에서 보기…</translation>
    </message>
    <message>
        <source>Problems ({count})</source>
        <translation>문제 ({count})</translation>
    </message>
</context>
<context>
    <name>Metrics</name>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>top-5 accuracy</source>
        <translation>top-5 정확도</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>{split} {metric}</source>
        <translation>{split} {metric}</translation>
    </message>
</context>
<context>
    <name>NodeClipboard</name>
    <message>
        <source>Copied {count} node(s)</source>
        <translation>노드 {count}개를 복사했습니다</translation>
    </message>
    <message>
        <source>Nothing to paste: the clipboard holds no nodes</source>
        <translation>붙여넣을 것이 없습니다. 클립보드에 노드가 없습니다</translation>
    </message>
    <message>
        <source>Cannot paste: {reason}</source>
        <translation>붙여넣을 수 없음: {reason}</translation>
    </message>
</context>
<context>
    <name>NodeItem</name>
    <message>
        <source>standardised on train split</source>
        <translation>학습 데이터로 표준화됨</translation>
    </message>
    <message>
        <source>forward computes (x − mean) / std, with the mean and std of the training split, fitted by nodeml when training starts and saved with the weights</source>
        <translation>forward에서 (x − 평균) / 표준편차를 계산합니다. 평균과 표준편차는 학습을 시작할 때 nodeml이 학습 데이터로 구하고 가중치와 함께 저장합니다</translation>
    </message>
    <message>
        <source>? params</source>
        <translation>파라미터 ?개</translation>
    </message>
    <message>
        <source>1 param</source>
        <translation>파라미터 1개</translation>
    </message>
    <message>
        <source>{count} params</source>
        <translation>파라미터 {count}개</translation>
    </message>
</context>
<context>
    <name>NodeStats</name>
    <message>
        <source>Activation mean ± std</source>
        <translation>활성값 평균 ± 표준편차</translation>
    </message>
    <message>
        <source>Fraction of zeros</source>
        <translation>0의 비율</translation>
    </message>
    <message>
        <source>Gradient norm (log)</source>
        <translation>변화도 노름(로그)</translation>
    </message>
    <message>
        <source>Weight norm</source>
        <translation>가중치 노름</translation>
    </message>
    <message>
        <source>Update / weight ratio (log)</source>
        <translation>업데이트 / 가중치 비율(로그)</translation>
    </message>
    <message>
        <source>Training statistics, by step</source>
        <translation>스텝별 학습 통계</translation>
    </message>
    <message>
        <source>No statistics for {node}: an Output node is its source&apos;s value, and a node added after the run was not trained.</source>
        <translation>{node}의 통계가 없습니다. Output 노드는 원본 노드의 값이고, 실행 뒤에 추가한 노드는 학습되지 않았습니다.</translation>
    </message>
    <message>
        <source>this training run</source>
        <translation>이번 학습 실행</translation>
    </message>
    <message>
        <source>{where} · {count} samples, up to step {step}</source>
        <translation>{where} · 표본 {count}개, 스텝 {step}까지</translation>
    </message>
    <message>
        <source>⚠ {kind}: {message}</source>
        <translation>⚠ {kind}: {message}</translation>
    </message>
    <message>
        <source>No warnings: the health rules find nothing wrong here.</source>
        <translation>경고 없음: 상태 규칙에 걸리는 문제가 없습니다.</translation>
    </message>
    <message>
        <source>Show Node &amp;Health</source>
        <translation>노드 상태 보기(&amp;H)</translation>
    </message>
    <message>
        <source>Tint each node by how its gradients behave in training, with a sparkline of the gradient norm, and a legend</source>
        <translation>학습 중 변화도의 상태에 따라 노드에 색을 입히고, 변화도 노름의 스파크라인과 범례를 보여 줍니다</translation>
    </message>
    <message>
        <source>Node health (Ctrl+H): tint nodes by their gradients</source>
        <translation>노드 상태(Ctrl+H): 변화도에 따라 노드에 색을 입힙니다</translation>
    </message>
    <message>
        <source>Load Statistics from &amp;Run…</source>
        <translation>실행에서 통계 불러오기(&amp;R)…</translation>
    </message>
    <message>
        <source>Show the node statistics a past run recorded (node_stats.csv)</source>
        <translation>지난 실행이 기록한 노드 통계(node_stats.csv)를 보여 줍니다</translation>
    </message>
    <message>
        <source>&amp;Clear Statistics</source>
        <translation>통계 지우기(&amp;C)</translation>
    </message>
    <message>
        <source>Forget the node statistics shown</source>
        <translation>표시 중인 노드 통계를 지웁니다</translation>
    </message>
    <message>
        <source>Node &amp;Health</source>
        <translation>노드 상태(&amp;H)</translation>
    </message>
    <message>
        <source>Load node statistics from a run folder</source>
        <translation>실행 폴더에서 노드 통계 불러오기</translation>
    </message>
    <message>
        <source>Following the node statistics of run “{run}” while it trains</source>
        <translation>학습 중인 실행 “{run}”의 노드 통계를 따라가는 중</translation>
    </message>
    <message>
        <source>Cannot load node statistics</source>
        <translation>노드 통계를 불러올 수 없음</translation>
    </message>
    <message>
        <source>{run} recorded no statistics yet: its first sample comes with the first training step.</source>
        <translation>{run}에 아직 기록된 통계가 없습니다. 첫 표본은 첫 학습 스텝과 함께 기록됩니다.</translation>
    </message>
    <message>
        <source>No node statistics</source>
        <translation>노드 통계 없음</translation>
    </message>
    <message>
        <source>Node statistics of run “{run}”: {count} samples</source>
        <translation>실행 “{run}”의 노드 통계: 표본 {count}개</translation>
    </message>
    <message>
        <source>run “{run}”, training</source>
        <translation>실행 “{run}”, 학습 중</translation>
    </message>
    <message>
        <source>run “{run}”</source>
        <translation>실행 “{run}”</translation>
    </message>
    <message>
        <source>vanishing gradient: norm below {limit:g} for the epoch</source>
        <translation>변화도 소실: 에폭 내내 노름이 {limit:g} 미만</translation>
    </message>
    <message>
        <source>exploding gradient: norm grew {growth:,.0f}-fold, or became inf / nan</source>
        <translation>변화도 폭발: 노름이 {growth:,.0f}배 커졌거나 inf / nan이 됨</translation>
    </message>
    <message>
        <source>dead units: over {share:.0%} of outputs are exactly zero</source>
        <translation>죽은 유닛: 출력의 {share:.0%} 넘게 정확히 0</translation>
    </message>
    <message>
        <source>healthy: gradients flow, no warning</source>
        <translation>정상: 변화도가 잘 흐르고 경고 없음</translation>
    </message>
    <message>
        <source>update ratio far from ~1e-3 (step too big or too small)</source>
        <translation>업데이트 비율이 ~1e-3에서 멂(스텝이 너무 크거나 작음)</translation>
    </message>
    <message>
        <source>no statistics for this node</source>
        <translation>이 노드의 통계 없음</translation>
    </message>
    <message>
        <source>No statistics yet: train the model, or View → Node Health → Load Statistics from Run…</source>
        <translation>아직 통계가 없습니다. 모델을 학습하거나 보기 → 노드 상태 → 실행에서 통계 불러오기…를 쓰세요</translation>
    </message>
    <message>
        <source>Run “{run}” · training, step {step}</source>
        <translation>실행 “{run}” · 학습 중, 스텝 {step}</translation>
    </message>
    <message>
        <source>Run “{run}” · up to step {step}</source>
        <translation>실행 “{run}” · 스텝 {step}까지</translation>
    </message>
    <message>
        <source>This training run · step {step}</source>
        <translation>이번 학습 실행 · 스텝 {step}</translation>
    </message>
    <message>
        <source>Gradient health</source>
        <translation>변화도 상태</translation>
    </message>
    <message>
        <source>Sparkline: gradient norm (log scale); zero fraction where a node has no weights</source>
        <translation>스파크라인: 변화도 노름(로그 눈금). 가중치가 없는 노드는 0의 비율</translation>
    </message>
    <message>
        <source>dead units</source>
        <translation>죽은 유닛</translation>
    </message>
    <message>
        <source>update ratio</source>
        <translation>업데이트 비율</translation>
    </message>
    <message>
        <source>vanishing</source>
        <translation>소실</translation>
    </message>
    <message>
        <source>exploding</source>
        <translation>폭발</translation>
    </message>
    <message>
        <source>grad {value:.1e}</source>
        <translation>grad {value:.1e}</translation>
    </message>
    <message>
        <source>{share:.0%} zero</source>
        <translation>0 비율 {share:.0%}</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>has trainable weights</source>
        <translation>학습 가능한 가중치 있음</translation>
    </message>
    <message>
        <source>no weights</source>
        <translation>가중치 없음</translation>
    </message>
    <message>
        <source>Drag onto the canvas or double-click to add.</source>
        <translation>캔버스로 끌어다 놓거나 더블클릭해서 추가하세요.</translation>
    </message>
    <message>
        <source>Search layers and blocks…</source>
        <translation>레이어와 블록 검색…</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>블록</translation>
    </message>
    <message>
        <source>in this model</source>
        <translation>이 모델의 블록</translation>
    </message>
    <message>
        <source>shipped with nodeml</source>
        <translation>nodeml 기본 제공</translation>
    </message>
    <message>
        <source>your library: {path}</source>
        <translation>내 라이브러리: {path}</translation>
    </message>
    <message>
        <source>block</source>
        <translation>블록</translation>
    </message>
    <message>
        <source>A block: a graph used as one node.</source>
        <translation>블록: 노드 하나처럼 쓰는 그래프입니다.</translation>
    </message>
    <message>
        <source>Drag onto the canvas or double-click to add; double-click a use to open it.</source>
        <translation>캔버스로 끌어다 놓거나 더블클릭해서 추가하세요. 캔버스의 블록을 더블클릭하면 안을 열어 봅니다.</translation>
    </message>
</context>
<context>
    <name>ParamRow</name>
    <message>
        <source>{name} needs a value, e.g. {example}</source>
        <translation>{name}: 값을 입력하세요(예: {example})</translation>
    </message>
    <message>
        <source>{name} must be numbers separated by commas, got {text!r}</source>
        <translation>{name}: 쉼표로 구분한 숫자여야 합니다. 입력값: {text!r}</translation>
    </message>
    <message>
        <source>{name} must be whole numbers separated by commas, got {text!r}</source>
        <translation>{name}: 쉼표로 구분한 정수여야 합니다. 입력값: {text!r}</translation>
    </message>
    <message>
        <source>e.g. 3 or 3, 3</source>
        <translation>예: 3 또는 3, 3</translation>
    </message>
    <message>
        <source>e.g. 1, 28, 28</source>
        <translation>예: 1, 28, 28</translation>
    </message>
    <message>
        <source>inferred from the input; press Override to set it</source>
        <translation>입력에서 추론됩니다. 직접 정하려면 ‘직접 설정’을 누르세요</translation>
    </message>
    <message>
        <source>Infer</source>
        <translation>추론</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>직접 설정</translation>
    </message>
    <message>
        <source>Remove the value so {name} follows the input again</source>
        <translation>값을 지우고 {name}을(를) 다시 입력에 맞춰 추론합니다</translation>
    </message>
    <message>
        <source>Set {name} by hand instead of inferring it</source>
        <translation>{name}을(를) 추론하지 않고 직접 정합니다</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Back to the default, {value}</source>
        <translation>기본값 {value}(으)로 되돌립니다</translation>
    </message>
    <message>
        <source>Inferred from the input shape unless you override it.</source>
        <translation>직접 정하지 않으면 입력 모양에서 추론합니다.</translation>
    </message>
    <message>
        <source>Range: {low} … {high}</source>
        <translation>범위: {low} … {high}</translation>
    </message>
</context>
<context>
    <name>PlotGrid</name>
    <message>
        <source>Loss per step</source>
        <translation>스텝별 손실</translation>
    </message>
    <message>
        <source>Loss per epoch</source>
        <translation>에폭별 손실</translation>
    </message>
    <message>
        <source>Metric per epoch</source>
        <translation>에폭별 지표</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
</context>
<context>
    <name>PresetCard</name>
    <message>
        <source>Nothing is changed for this one.</source>
        <translation>이 경우에는 아무것도 바꾸지 않습니다.</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
</context>
<context>
    <name>ProblemsList</name>
    <message>
        <source>vanishing gradient</source>
        <translation>변화도 소실</translation>
    </message>
    <message>
        <source>exploding gradient</source>
        <translation>변화도 폭발</translation>
    </message>
    <message>
        <source>dead units</source>
        <translation>죽은 유닛</translation>
    </message>
    <message>
        <source>update ratio</source>
        <translation>업데이트 비율</translation>
    </message>
    <message>
        <source>node {id}</source>
        <translation>노드 {id}</translation>
    </message>
    <message>
        <source>training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>{where}: training stopped: {message}</source>
        <translation>{where}: 학습 중지됨: {message}</translation>
    </message>
    <message>
        <source>warning: node {id}: {kind} ({source}): {message}</source>
        <translation>경고: 노드 {id}: {kind}({source}): {message}</translation>
    </message>
    <message>
        <source>No problems: the model compiles.</source>
        <translation>문제 없음: 모델이 컴파일됩니다.</translation>
    </message>
    <message>
        <source>warning: {problem}</source>
        <translation>경고: {problem}</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
</context>
<context>
    <name>QuickAddPopup</name>
    <message>
        <source>Add layer…  (name, category or purpose)</source>
        <translation>레이어 추가…  (이름, 분류 또는 용도)</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source>today {clock} (just now)</source>
        <translation>오늘 {clock}(방금)</translation>
    </message>
    <message>
        <source>today {clock} ({minutes} min ago)</source>
        <translation>오늘 {clock}({minutes}분 전)</translation>
    </message>
    <message>
        <source>today {clock}</source>
        <translation>오늘 {clock}</translation>
    </message>
    <message>
        <source>yesterday {clock}</source>
        <translation>어제 {clock}</translation>
    </message>
    <message>
        <source>d MMM</source>
        <translation>M월 d일</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation>yyyy년 M월 d일</translation>
    </message>
    <message>
        <source>folder not recorded</source>
        <translation>폴더 기록 없음</translation>
    </message>
    <message>
        <source>never saved</source>
        <translation>저장한 적 없음</translation>
    </message>
    <message>
        <source>This copy cannot be read ({problem}); it can only be discarded.</source>
        <translation>이 사본은 읽을 수 없어({problem}) 버리는 것만 가능합니다.</translation>
    </message>
    <message>
        <source>Autosaved {when}, from “{name}” (its folder was not recorded): Save will ask where to keep it.</source>
        <translation>{when}에 “{name}”에서 자동 저장됨(폴더는 기록되지 않음): 저장할 때 위치를 묻습니다.</translation>
    </message>
    <message>
        <source>“{name}”, never saved, autosaved {when}: Save asks where.</source>
        <translation>“{name}”, 저장한 적 없음, {when}에 자동 저장됨: 저장할 때 위치를 묻습니다.</translation>
    </message>
    <message>
        <source>autosaved {when}</source>
        <translation>{when}에 자동 저장됨</translation>
    </message>
    <message>
        <source>the file is no longer there: Save writes it again</source>
        <translation>파일이 더 이상 그 자리에 없습니다. 저장하면 다시 씁니다</translation>
    </message>
    <message>
        <source>{copy} nodes in this copy, {file} in the file</source>
        <translation>이 사본에는 노드 {copy}개, 파일에는 {file}개</translation>
    </message>
    <message>
        <source>the file there cannot be read</source>
        <translation>그 위치의 파일을 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>the file was saved again after this copy</source>
        <translation>이 사본 이후에 파일이 다시 저장되었습니다</translation>
    </message>
    <message>
        <source>The copy of {name} was taken by another nodeml window</source>
        <translation>{name}의 사본을 다른 nodeml 창이 가져갔습니다</translation>
    </message>
    <message>
        <source>Restored the unsaved changes to {name}, autosaved {when}</source>
        <translation>{name}의 저장되지 않은 변경 사항을 복원했습니다({when} 자동 저장)</translation>
    </message>
    <message>
        <source>1 unsaved copy is kept: File → Recover Unsaved Work…</source>
        <translation>저장되지 않은 사본 1개를 보관합니다: 파일 → 저장되지 않은 작업 복구…</translation>
    </message>
    <message>
        <source>{count} unsaved copies are kept: File → Recover Unsaved Work…</source>
        <translation>저장되지 않은 사본 {count}개를 보관합니다: 파일 → 저장되지 않은 작업 복구…</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Document</source>
        <translation>문서</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>폴더</translation>
    </message>
    <message>
        <source>Autosaved</source>
        <translation>자동 저장</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>노드</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>저장되지 않은 작업 복구</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>버리기…</translation>
    </message>
    <message>
        <source>Decide Later</source>
        <translation>나중에 결정</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name} has unsaved changes&lt;/b&gt; from a nodeml session that did not close normally. Restore them, or discard them and keep the file as it is?</source>
        <translation>정상적으로 종료되지 않은 nodeml 세션에서 &lt;b&gt;{name}에 저장되지 않은 변경 사항&lt;/b&gt;이 남아 있습니다. 복원할까요, 아니면 버리고 파일을 그대로 둘까요?</translation>
    </message>
    <message>
        <source>&lt;b&gt;nodeml did not close normally.&lt;/b&gt; Unsaved changes to {name} were autosaved before it stopped. Restore them, or discard them?</source>
        <translation>&lt;b&gt;nodeml이 정상적으로 종료되지 않았습니다.&lt;/b&gt; 멈추기 전에 {name}의 저장되지 않은 변경 사항이 자동 저장되었습니다. 복원할까요, 버릴까요?</translation>
    </message>
    <message>
        <source>&lt;b&gt;nodeml did not close normally.&lt;/b&gt; Unsaved changes to these {count} documents were autosaved before it stopped. Restore the one to go on with; the others are kept for later (File → Recover Unsaved Work…).</source>
        <translation>&lt;b&gt;nodeml이 정상적으로 종료되지 않았습니다.&lt;/b&gt; 멈추기 전에 문서 {count}개의 저장되지 않은 변경 사항이 자동 저장되었습니다. 이어서 작업할 문서를 복원하세요. 나머지는 나중을 위해 보관합니다(파일 → 저장되지 않은 작업 복구…).</translation>
    </message>
    <message>
        <source>Discard unsaved changes?</source>
        <translation>저장되지 않은 변경 사항을 버릴까요?</translation>
    </message>
    <message>
        <source>Discard the unsaved changes to “{name}” autosaved {when}? They cannot be recovered afterwards.</source>
        <translation>{when}에 자동 저장된 “{name}”의 변경 사항을 버릴까요? 버리면 다시 복구할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>RunCurves</name>
    <message>
        <source>train (per step)</source>
        <translation>학습(스텝별)</translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation>학습(평활화)</translation>
    </message>
    <message>
        <source>train (per epoch)</source>
        <translation>학습(에폭별)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>train {metric}</source>
        <translation>학습 {metric}</translation>
    </message>
    <message>
        <source>validation {metric}</source>
        <translation>검증 {metric}</translation>
    </message>
</context>
<context>
    <name>RunsModel</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에폭</translation>
    </message>
    <message>
        <source>Best</source>
        <translation>최고</translation>
    </message>
    <message>
        <source>Changes from the run before</source>
        <translation>이전 실행과 달라진 점</translation>
    </message>
    <message>
        <source>Tick to draw the run on the curves, in its colour</source>
        <translation>체크하면 이 실행을 해당 색으로 곡선 그래프에 그립니다</translation>
    </message>
    <message>
        <source>The run&apos;s name (double-click or F2 to rename; the folder keeps its name)</source>
        <translation>실행 이름(더블클릭하거나 F2로 이름 변경, 폴더 이름은 그대로 유지)</translation>
    </message>
    <message>
        <source>The best epoch (lowest validation loss, else training loss): best.pt holds it</source>
        <translation>가장 좋은 에폭(검증 손실이 가장 낮은 에폭, 검증이 없으면 학습 손실 기준): best.pt에 저장됨</translation>
    </message>
    <message>
        <source>Settings and graph edits that differ from the run above</source>
        <translation>바로 위 실행과 다른 설정과 그래프 수정 사항</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>Could not rename {name}: {reason}</source>
        <translation>{name}의 이름을 바꿀 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>today {clock}</source>
        <translation>오늘 {clock}</translation>
    </message>
    <message>
        <source>loss {value:.4g}</source>
        <translation>손실 {value:.4g}</translation>
    </message>
    <message>
        <source>best epoch {epoch} (lowest {what})</source>
        <translation>최고 에폭 {epoch}({what} 최저)</translation>
    </message>
    <message>
        <source>Changed from the run before:</source>
        <translation>이전 실행과 달라진 점:</translation>
    </message>
    <message>
        <source>started {when}</source>
        <translation>시작: {when}</translation>
    </message>
    <message>
        <source>ended {when}</source>
        <translation>종료: {when}</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>메모: {note}</translation>
    </message>
    <message>
        <source>Error: {error}</source>
        <translation>오류: {error}</translation>
    </message>
    <message>
        <source>Resumed from {run}</source>
        <translation>{run}에서 이어서 학습</translation>
    </message>
    <message>
        <source>Its process ended without saying so (closed or killed); last.pt holds the last epoch written</source>
        <translation>프로세스가 알리지 않고 끝났습니다(창을 닫았거나 강제 종료됨). last.pt에 마지막으로 기록된 에폭이 있습니다</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Runs</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>A note on the selected run (Enter saves it)</source>
        <translation>선택한 실행에 대한 메모(Enter로 저장)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Open curves</source>
        <translation>곡선 열기</translation>
    </message>
    <message>
        <source>Draw this run&apos;s curves in full, from its metrics.csv</source>
        <translation>이 실행의 곡선을 metrics.csv에서 읽어 전부 그립니다</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Test this run&apos;s best weights (best.pt) on held-out data</source>
        <translation>이 실행의 가장 좋은 가중치(best.pt)를 따로 떼어 둔 데이터로 시험합니다</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>Continue this run from its last checkpoint (last.pt), into a new run folder</source>
        <translation>이 실행의 마지막 체크포인트(last.pt)에서 새 실행 폴더로 학습을 이어 갑니다</translation>
    </message>
    <message>
        <source>Export code</source>
        <translation>코드 내보내기</translation>
    </message>
    <message>
        <source>Write PyTorch code of the graph as this run trained it</source>
        <translation>이 실행이 학습한 그대로의 그래프를 PyTorch 코드로 씁니다</translation>
    </message>
    <message>
        <source>Node statistics</source>
        <translation>노드 통계</translation>
    </message>
    <message>
        <source>Show this run&apos;s per-node statistics on the canvas and in the Inspector</source>
        <translation>이 실행의 노드별 통계를 캔버스와 인스펙터에 보여 줍니다</translation>
    </message>
    <message>
        <source>Reveal folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Show the run&apos;s folder in the file manager</source>
        <translation>파일 관리자에서 실행 폴더를 엽니다</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <source>Delete the run&apos;s folder (asks first)</source>
        <translation>실행 폴더를 삭제합니다(먼저 확인합니다)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Rename the run</source>
        <translation>실행 이름을 바꿉니다</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>메모 편집</translation>
    </message>
    <message>
        <source>Write a note on the run</source>
        <translation>실행에 메모를 남깁니다</translation>
    </message>
    <message>
        <source>Could not read {folder}: {reason}</source>
        <translation>{folder}을(를) 읽을 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>{run} is training: stop it before deleting it</source>
        <translation>{run}은(는) 학습 중입니다. 삭제하려면 먼저 중지하세요</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>실행 삭제</translation>
    </message>
    <message>
        <source>Delete the run “{run}”?

Its folder {folder} is removed, with its checkpoints and metrics. This cannot be undone.</source>
        <translation>실행 “{run}”을(를) 삭제할까요?

폴더 {folder}이(가) 체크포인트, 지표와 함께 삭제됩니다. 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>{run} was not deleted: {reason}</source>
        <translation>{run}을(를) 삭제하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>Deleted {run}</source>
        <translation>{run} 삭제함</translation>
    </message>
    <message>
        <source>Could not save the note: {reason}</source>
        <translation>메모를 저장할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Stop the run before deleting it</source>
        <translation>삭제하려면 먼저 실행을 중지하세요</translation>
    </message>
    <message>
        <source>No runs of {graph}: each run is kept in {folder}.
Train (F5) to make one.</source>
        <translation>{graph}의 실행 기록이 없습니다. 실행은 {folder}에 보관됩니다.
학습(F5)을 시작하면 생깁니다.</translation>
    </message>
    <message>
        <source>No runs of this graph: until it is saved, its runs are kept in {folder}.
Train (F5) to make one.</source>
        <translation>이 그래프의 실행 기록이 없습니다. 그래프를 저장하기 전까지 실행은 {folder}에 보관됩니다.
학습(F5)을 시작하면 생깁니다.</translation>
    </message>
</context>
<context>
    <name>SettingRow</name>
    <message>
        <source>Valid: {range}</source>
        <translation>허용 범위: {range}</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>{device} (not available)</source>
        <translation>{device}(사용할 수 없음)</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>고급 설정</translation>
    </message>
    <message>
        <source>How many processes train: 2 or more run the training as a torchrun job (DistributedDataParallel), one per GPU on CUDA, else on the CPU cores. This is the app&apos;s setting, not the graph&apos;s.</source>
        <translation>학습에 쓸 프로세스 수: 2 이상이면 torchrun 작업(DistributedDataParallel)으로 학습하며, CUDA에서는 GPU마다 하나, 아니면 CPU 코어에서 실행합니다. 그래프가 아니라 앱의 설정입니다.</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>프로세스 수</translation>
    </message>
    <message>
        <source>The graph&apos;s training section has an error: {error}</source>
        <translation>그래프의 학습 설정에 오류가 있습니다: {error}</translation>
    </message>
    <message>
        <source>unknown dataset {name!r}</source>
        <translation>알 수 없는 데이터셋 {name!r}</translation>
    </message>
    <message>
        <source>dataset {name} has no option {unknown} (its options: {options}); it will be dropped when you change a setting</source>
        <translation>데이터셋 {name}에는 {unknown} 옵션이 없습니다(옵션: {options}). 설정을 바꾸면 없어집니다</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>comma-separated, empty for all</source>
        <translation>쉼표로 구분, 비워 두면 전부</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Tab / double-click empty canvas</source>
        <translation>Tab / 빈 캔버스 더블클릭</translation>
    </message>
    <message>
        <source>Quick-add a layer at the cursor</source>
        <translation>커서 위치에 레이어 빠르게 추가</translation>
    </message>
    <message>
        <source>Drag from a port</source>
        <translation>포트에서 끌기</translation>
    </message>
    <message>
        <source>Draw a wire; release on empty canvas to add a connected layer</source>
        <translation>연결선을 그립니다. 빈 캔버스에 놓으면 연결된 레이어를 추가합니다</translation>
    </message>
    <message>
        <source>Drop a layer on a wire</source>
        <translation>연결선 위에 레이어 놓기</translation>
    </message>
    <message>
        <source>Insert it between the two nodes</source>
        <translation>두 노드 사이에 끼워 넣기</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>휠</translation>
    </message>
    <message>
        <source>Zoom at the cursor</source>
        <translation>커서 위치를 중심으로 확대/축소</translation>
    </message>
    <message>
        <source>Middle drag / Space + drag</source>
        <translation>가운데 버튼 끌기 / Space + 끌기</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>화면 이동</translation>
    </message>
    <message>
        <source>Ctrl + click, rubber band</source>
        <translation>Ctrl + 클릭, 드래그 선택</translation>
    </message>
    <message>
        <source>Select several nodes</source>
        <translation>여러 노드 선택</translation>
    </message>
    <message>
        <source>Menus</source>
        <translation>메뉴</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>캔버스</translation>
    </message>
</context>
<context>
    <name>StartupSplash</name>
    <message>
        <source>Build PyTorch models visually · {version}</source>
        <translation>PyTorch 모델을 눈으로 보며 만드세요 · {version}</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <source>no problems</source>
        <translation>문제 없음</translation>
    </message>
    <message>
        <source>{count} problem(s)</source>
        <translation>문제 {count}개</translation>
    </message>
    <message>
        <source>{params:,} params ({trainable:,} trainable, {frozen:,} frozen)</source>
        <translation>파라미터 {params:,}개(학습 가능 {trainable:,}개, 고정 {frozen:,}개)</translation>
    </message>
    <message>
        <source>{params:,} params ({trainable:,} trainable)</source>
        <translation>파라미터 {params:,}개(학습 가능 {trainable:,}개)</translation>
    </message>
    <message>
        <source>{macs} MACs</source>
        <translation>MAC {macs}</translation>
    </message>
</context>
<context>
    <name>SummaryTable</name>
    <message>
        <source>Node</source>
        <translation>노드</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>출력 모양</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>학습 가능</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>MAC</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <source>{count} node(s)</source>
        <translation>노드 {count}개</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Dark</source>
        <translation>어두운 테마</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>밝은 테마</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>&amp;Train</source>
        <translation>학습 시작(&amp;T)</translation>
    </message>
    <message>
        <source>Train the model on the chosen dataset</source>
        <translation>고른 데이터셋으로 모델을 학습합니다</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Pause or resume training</source>
        <translation>학습을 일시 정지하거나 다시 시작합니다</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>중지(&amp;S)</translation>
    </message>
    <message>
        <source>Stop training after this batch</source>
        <translation>이번 배치가 끝나면 학습을 중지합니다</translation>
    </message>
    <message>
        <source>&amp;Evaluate</source>
        <translation>평가(&amp;E)</translation>
    </message>
    <message>
        <source>Test the trained model</source>
        <translation>학습된 모델을 시험합니다</translation>
    </message>
    <message>
        <source>Save &amp;Checkpoint…</source>
        <translation>체크포인트 저장(&amp;C)…</translation>
    </message>
    <message>
        <source>Save a copy of the run&apos;s checkpoint (weights, optimizer and history)</source>
        <translation>실행의 체크포인트(가중치, 옵티마이저, 기록) 사본을 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Load Checkpoint…</source>
        <translation>체크포인트 불러오기(&amp;L)…</translation>
    </message>
    <message>
        <source>Load weights into the model (then Evaluate, or Train from them)</source>
        <translation>모델에 가중치를 불러옵니다(그다음 평가하거나, 그 가중치에서 학습)</translation>
    </message>
    <message>
        <source>&amp;Resume from Checkpoint…</source>
        <translation>체크포인트에서 이어서 학습(&amp;R)…</translation>
    </message>
    <message>
        <source>Continue a run where its checkpoint stopped</source>
        <translation>체크포인트가 멈춘 곳부터 실행을 이어 갑니다</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>다시 시작(&amp;R)</translation>
    </message>
    <message>
        <source>its graph</source>
        <translation>체크포인트의 그래프</translation>
    </message>
    <message>
        <source>the open graph is empty</source>
        <translation>열린 그래프가 비어 있습니다</translation>
    </message>
    <message>
        <source>the open graph cannot be built ({why})</source>
        <translation>열린 그래프를 만들 수 없습니다({why})</translation>
    </message>
    <message>
        <source>{split} loss {loss:.4g}</source>
        <translation>{split} 손실 {loss:.4g}</translation>
    </message>
    <message>
        <source>{count:,} samples</source>
        <translation>샘플 {count:,}개</translation>
    </message>
    <message>
        <source>training failed unexpectedly: {kind}: {message}</source>
        <translation>학습이 예기치 않게 실패했습니다: {kind}: {message}</translation>
    </message>
    <message>
        <source>the training process was killed by signal {signal} without saying why</source>
        <translation>학습 프로세스가 이유를 남기지 않고 신호 {signal}로 강제 종료되었습니다</translation>
    </message>
    <message>
        <source>the training process exited with status {code} without saying why</source>
        <translation>학습 프로세스가 이유를 남기지 않고 종료 코드 {code}로 끝났습니다</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>(node {node})</source>
        <translation>(노드 {node})</translation>
    </message>
    <message>
        <source>Set {node}.{param} to {value}</source>
        <translation>{node}.{param}을(를) {value}(으)로 설정</translation>
    </message>
    <message>
        <source>Checkpoint does not fit the graph</source>
        <translation>체크포인트가 그래프와 맞지 않음</translation>
    </message>
    <message>
        <source>{file} was trained on “{graph}”</source>
        <translation>{file}은(는) “{graph}”에서 학습되었습니다</translation>
    </message>
    <message>
        <source>{trained}, and {why_not}.</source>
        <translation>{trained}. 그리고 {why_not}.</translation>
    </message>
    <message>
        <source>{count} missing</source>
        <translation>{count}개 없음</translation>
    </message>
    <message>
        <source>{count} unexpected</source>
        <translation>{count}개 예상 밖</translation>
    </message>
    <message>
        <source>{count} with another shape</source>
        <translation>{count}개 모양 다름</translation>
    </message>
    <message>
        <source>{trained}; its weights do not all fit the open graph ({parts}). {fitting} of the model&apos;s {total} tensors fit.</source>
        <translation>{trained}. 가중치가 열린 그래프에 모두 맞지는 않습니다({parts}). 모델의 텐서 {total}개 중 {fitting}개가 맞습니다.</translation>
    </message>
    <message>
        <source>The open graph differs from it: {changes}</source>
        <translation>열린 그래프와 다른 점: {changes}</translation>
    </message>
    <message>
        <source>Open “{graph}”</source>
        <translation>“{graph}” 열기</translation>
    </message>
    <message>
        <source>Open Its Graph</source>
        <translation>체크포인트의 그래프 열기</translation>
    </message>
    <message>
        <source>Load the {count} That Fit</source>
        <translation>맞는 {count}개 불러오기</translation>
    </message>
    <message>
        <source>Stop it and quit?</source>
        <translation>학습을 중지하고 종료할까요?</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>중지하고 종료</translation>
    </message>
    <message>
        <source>Stop it and start a new model?</source>
        <translation>학습을 중지하고 새 모델을 시작할까요?</translation>
    </message>
    <message>
        <source>Stop and Start a New Model</source>
        <translation>중지하고 새 모델 시작</translation>
    </message>
    <message>
        <source>Stop it and open another graph?</source>
        <translation>학습을 중지하고 다른 그래프를 열까요?</translation>
    </message>
    <message>
        <source>Stop and Open</source>
        <translation>중지하고 열기</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>학습 중</translation>
    </message>
    <message>
        <source>Stop it and open {name}?</source>
        <translation>학습을 중지하고 {name}을(를) 열까요?</translation>
    </message>
    <message>
        <source>A run is training ({progress}).</source>
        <translation>학습이 진행 중입니다({progress}).</translation>
    </message>
    <message>
        <source>A run is training.</source>
        <translation>학습이 진행 중입니다.</translation>
    </message>
    <message>
        <source>It stops after the current batch and keeps what it trained in {folder} (last.pt, best.pt): resume it later from there.</source>
        <translation>현재 배치가 끝나면 멈추고, 학습한 결과를 {folder}에 보관합니다(last.pt, best.pt). 나중에 거기서 이어서 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>It stops after the current batch and keeps what it trained (last.pt, best.pt): resume it later from there.</source>
        <translation>현재 배치가 끝나면 멈추고, 학습한 결과를 보관합니다(last.pt, best.pt). 나중에 거기서 이어서 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>nodeml checkpoint (*.pt);;All files (*)</source>
        <translation>nodeml 체크포인트 (*.pt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>torch.export program (*.pt2)</source>
        <translation>torch.export 프로그램 (*.pt2)</translation>
    </message>
    <message>
        <source>Weights, safetensors (*.safetensors)</source>
        <translation>가중치, safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>다시 시작</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Pausing after this batch…</source>
        <translation>이번 배치가 끝나면 일시 정지합니다…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>이번 배치가 끝나면 중지합니다…</translation>
    </message>
    <message>
        <source>Evaluating {what}…</source>
        <translation>{what} 평가 중…</translation>
    </message>
    <message>
        <source>Export the run&apos;s model</source>
        <translation>실행의 모델 내보내기</translation>
    </message>
    <message>
        <source>could not export {run}: {reason}</source>
        <translation>{run}을(를) 내보낼 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Exported {run} to {path}</source>
        <translation>{run}을(를) {path}(으)로 내보냈습니다</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>체크포인트 저장</translation>
    </message>
    <message>
        <source>could not save the checkpoint to {path}: {reason}</source>
        <translation>체크포인트를 {path}에 저장할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Saved checkpoint {path} (a copy of {source})</source>
        <translation>체크포인트를 저장했습니다: {path}({source}의 사본)</translation>
    </message>
    <message>
        <source>Load checkpoint</source>
        <translation>체크포인트 불러오기</translation>
    </message>
    <message>
        <source>Loaded the {count} weights that fit from {path}.</source>
        <translation>{path}에서 맞는 가중치 {count}개를 불러왔습니다.</translation>
    </message>
    <message>
        <source>Loaded all weights from {path}.</source>
        <translation>{path}에서 모든 가중치를 불러왔습니다.</translation>
    </message>
    <message>
        <source>Loaded all weights from {path} into its own graph.</source>
        <translation>{path}의 모든 가중치를 체크포인트의 그래프로 불러왔습니다.</translation>
    </message>
    <message>
        <source>Evaluate it, or Train to continue from it.</source>
        <translation>평가하거나, 학습을 눌러 여기서부터 이어 가세요.</translation>
    </message>
    <message>
        <source>Resume from checkpoint</source>
        <translation>체크포인트에서 이어서 학습</translation>
    </message>
    <message>
        <source>{file} already holds {epoch} epoch(s) and Epochs is {epochs}; raise Epochs above {epoch} to train further</source>
        <translation>{file}은(는) 이미 {epoch}에폭을 학습했고 에폭 설정은 {epochs}입니다. 더 학습하려면 에폭을 {epoch}보다 크게 올리세요</translation>
    </message>
    <message>
        <source>Paused — Resume to continue, Save a checkpoint, or Stop</source>
        <translation>일시 정지됨 — 다시 시작해 이어 가거나, 체크포인트를 저장하거나, 중지하세요</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>학습 중…</translation>
    </message>
    <message>
        <source>the weights of run “{run}” (last.pt)</source>
        <translation>실행 “{run}”의 가중치(last.pt)</translation>
    </message>
    <message>
        <source>the weights loaded from {file}</source>
        <translation>{file}에서 불러온 가중치</translation>
    </message>
    <message>
        <source>The last run&apos;s weights are kept in {folder} (last.pt, best.pt)</source>
        <translation>마지막 실행의 가중치는 {folder}에 보관되어 있습니다(last.pt, best.pt)</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>그래프 내보내기</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>Export curves</source>
        <translation>곡선 데이터 내보내기</translation>
    </message>
    <message>
        <source>no checkpoint</source>
        <translation>체크포인트 없음</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>준비 중…</translation>
    </message>
    <message>
        <source>Loading the dataset and compiling the graph… (run folder {folder})</source>
        <translation>데이터셋을 불러오고 그래프를 컴파일하는 중… (실행 폴더 {folder})</translation>
    </message>
    <message>
        <source>resumed at epoch {epoch}</source>
        <translation>{epoch}에폭부터 이어서 학습</translation>
    </message>
    <message>
        <source>Training on {device_name} ({device}) · {data} · {loss} loss</source>
        <translation>{device_name}({device})에서 학습 중 · {data} · 손실 함수 {loss}</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs}</source>
        <translation>에폭 {epoch}/{epochs}</translation>
    </message>
    <message>
        <source>step {batch}/{batches}</source>
        <translation>스텝 {batch}/{batches}</translation>
    </message>
    <message>
        <source>{rate:,.0f} samples/s</source>
        <translation>초당 샘플 {rate:,.0f}개</translation>
    </message>
    <message>
        <source>ETA {eta}</source>
        <translation>남은 시간 {eta}</translation>
    </message>
    <message>
        <source>Epoch {epoch}: validation loss {loss:.4g}</source>
        <translation>에폭 {epoch}: 검증 손실 {loss:.4g}</translation>
    </message>
    <message>
        <source>Epoch {epoch}: training loss {loss:.4g}</source>
        <translation>에폭 {epoch}: 학습 손실 {loss:.4g}</translation>
    </message>
    <message>
        <source>Finished after {epochs} epoch(s), {steps:,} steps.</source>
        <translation>{epochs}에폭, {steps:,}스텝 만에 학습을 마쳤습니다.</translation>
    </message>
    <message>
        <source>Finished · epoch {epochs} · step {steps:,}</source>
        <translation>완료 · 에폭 {epochs} · 스텝 {steps:,}</translation>
    </message>
    <message>
        <source>Stopped after {epochs} epoch(s), {steps:,} steps.</source>
        <translation>{epochs}에폭, {steps:,}스텝에서 학습을 중지했습니다.</translation>
    </message>
    <message>
        <source>Stopped · epoch {epochs} · step {steps:,}</source>
        <translation>중지됨 · 에폭 {epochs} · 스텝 {steps:,}</translation>
    </message>
    <message>
        <source>Run folder: {folder}.</source>
        <translation>실행 폴더: {folder}.</translation>
    </message>
    <message>
        <source>Evaluate, save a checkpoint, or train again to compare.</source>
        <translation>평가하거나, 체크포인트를 저장하거나, 다시 학습해 비교해 보세요.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>{folder} holds no checkpoint (best.pt or last.pt) yet</source>
        <translation>{folder}에는 아직 체크포인트(best.pt 또는 last.pt)가 없습니다</translation>
    </message>
    <message>
        <source>{folder} holds no trained model (graph.json and a checkpoint)</source>
        <translation>{folder}에는 학습된 모델(graph.json과 체크포인트)이 없습니다</translation>
    </message>
    <message>
        <source>there is no checkpoint to save yet</source>
        <translation>아직 저장할 체크포인트가 없습니다</translation>
    </message>
</context>
<context>
    <name>TrainingBanner</name>
    <message>
        <source>Training — the graph is read-only; Stop to edit</source>
        <translation>학습 중 — 그래프는 읽기 전용입니다. 편집하려면 중지하세요</translation>
    </message>
    <message>
        <source>Training paused — the graph is read-only; Stop to edit</source>
        <translation>학습 일시 정지됨 — 그래프는 읽기 전용입니다. 편집하려면 중지하세요</translation>
    </message>
    <message>
        <source>Stopping training — the graph becomes editable when the current batch ends</source>
        <translation>학습 중지 중 — 현재 배치가 끝나면 그래프를 편집할 수 있습니다</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
</context>
<context>
    <name>TrainingDock</name>
    <message>
        <source>Curves</source>
        <translation>곡선</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 기록</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>No curves yet: Train, or tick a run to draw it</source>
        <translation>아직 곡선이 없습니다. 학습을 시작하거나, 실행을 체크해 그리세요</translation>
    </message>
    <message>
        <source>EMA weight of the smoothed loss curve (0 = raw)</source>
        <translation>평활화한 손실 곡선의 EMA 가중치(0 = 원본 그대로)</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG 저장…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV 저장…</translation>
    </message>
    <message>
        <source>Hide compared runs</source>
        <translation>비교 숨기기</translation>
    </message>
    <message>
        <source>Take every compared run off the plots (their folders stay)</source>
        <translation>비교 중인 실행을 그래프에서 모두 뺍니다(폴더는 그대로 남음)</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>평활화</translation>
    </message>
    <message>
        <source>compared with</source>
        <translation>비교 대상</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <source>{trainable} trainable · {frozen} frozen of {total} params</source>
        <translation>파라미터 {total}개 중 학습 가능 {trainable}개 · 고정 {frozen}개</translation>
    </message>
    <message>
        <source>Applied: {count} change(s) · {counts}</source>
        <translation>적용됨: 변경 {count}건 · {counts}</translation>
    </message>
    <message>
        <source>Pretrained weights not available</source>
        <translation>사전 학습된 가중치를 쓸 수 없음</translation>
    </message>
    <message>
        <source>Connect to the internet once to download them into the torch cache, or continue with random weights (the backbone&apos;s weights param becomes none; Undo puts it back).</source>
        <translation>인터넷에 한 번 연결해 torch 캐시로 내려받거나, 무작위 가중치로 계속하세요(백본의 weights 파라미터가 none이 되며, 실행 취소하면 되돌아옵니다).</translation>
    </message>
    <message>
        <source>Continue with random weights</source>
        <translation>무작위 가중치로 계속</translation>
    </message>
    <message>
        <source>{nodes}: random weights (weights = none); Undo to ask for them again</source>
        <translation>{nodes}: 무작위 가중치(weights = none). 실행 취소하면 다시 사전 학습된 가중치를 씁니다</translation>
    </message>
    <message>
        <source>ImageNet weights: in the torch cache.</source>
        <translation>ImageNet 가중치: torch 캐시에 있습니다.</translation>
    </message>
    <message>
        <source>ImageNet weights are not in the torch cache yet: they are downloaded once when the model is built (training, export). Offline, you can continue with random weights.</source>
        <translation>ImageNet 가중치가 아직 torch 캐시에 없습니다. 모델을 만들 때(학습, 내보내기) 한 번 내려받습니다. 오프라인이면 무작위 가중치로 계속할 수 있습니다.</translation>
    </message>
    <message>
        <source>Head: {head} · {trainable:,} trainable, {frozen:,} frozen params</source>
        <translation>헤드: {head} · 학습 가능한 파라미터 {trainable:,}개, 고정된 파라미터 {frozen:,}개</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>찾지 못함</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Much data</source>
        <translation>데이터 많음</translation>
    </message>
    <message>
        <source>Little data</source>
        <translation>데이터 적음</translation>
    </message>
    <message>
        <source>Task like ImageNet photos</source>
        <translation>ImageNet 사진과 비슷한 작업</translation>
    </message>
    <message>
        <source>Task unlike ImageNet</source>
        <translation>ImageNet과 다른 작업</translation>
    </message>
    <message>
        <source>Transfer learning</source>
        <translation>전이 학습</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Backbone: &lt;b&gt;{backbones}&lt;/b&gt; · head: &lt;b&gt;{head}&lt;/b&gt;</source>
        <translation>백본: &lt;b&gt;{backbones}&lt;/b&gt; · 헤드: &lt;b&gt;{head}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No pretrained backbone in this model: add one from the palette (Pretrained backbones). Head: &lt;b&gt;{head}&lt;/b&gt;</source>
        <translation>이 모델에는 사전 학습된 백본이 없습니다. 팔레트(사전 학습된 백본)에서 추가하세요. 헤드: &lt;b&gt;{head}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Pick the situation that matches yours; one click applies it.</source>
        <translation>내 상황에 맞는 경우를 고르세요. 한 번 누르면 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Add {type} {id}</source>
        <translation>{type} {id} 추가</translation>
    </message>
    <message>
        <source>Delete {id}</source>
        <translation>{id} 삭제</translation>
    </message>
    <message>
        <source>Connect {source} → {target}</source>
        <translation>{source} → {target} 연결</translation>
    </message>
    <message>
        <source>Disconnect {source} → {target}</source>
        <translation>{source} → {target} 연결 끊기</translation>
    </message>
    <message>
        <source>Rename {old} → {new}</source>
        <translation>이름 변경 {old} → {new}</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>이동</translation>
    </message>
    <message>
        <source>Rename model to {name}</source>
        <translation>모델 이름을 {name}(으)로 변경</translation>
    </message>
    <message>
        <source>Add {type} after {id}</source>
        <translation>{id} 뒤에 {type} 추가</translation>
    </message>
    <message>
        <source>Delete {what}</source>
        <translation>{what} 삭제</translation>
    </message>
    <message>
        <source>Reconnect {id}</source>
        <translation>{id} 다시 연결</translation>
    </message>
    <message>
        <source>Reconnect {source} → {target}</source>
        <translation>{source} → {target} 다시 연결</translation>
    </message>
    <message>
        <source>Set {id}.{param}</source>
        <translation>{id}.{param} 설정</translation>
    </message>
    <message>
        <source>Reset {id}.{param}</source>
        <translation>{id}.{param} 초기화</translation>
    </message>
    <message>
        <source>Unfreeze {ids}</source>
        <translation>{ids} 고정 해제</translation>
    </message>
    <message>
        <source>Freeze {ids}</source>
        <translation>{ids} 고정</translation>
    </message>
    <message>
        <source>Insert {type}</source>
        <translation>{type} 끼워 넣기</translation>
    </message>
    <message>
        <source>Group {count} node(s) into {name}</source>
        <translation>노드 {count}개를 {name}(으)로 묶기</translation>
    </message>
    <message>
        <source>Ungroup {id}</source>
        <translation>{id} 묶음 풀기</translation>
    </message>
    <message>
        <source>Add block {name}</source>
        <translation>블록 {name} 추가</translation>
    </message>
    <message>
        <source>Bind {id}.{param} to {block_param}</source>
        <translation>{id}.{param}을(를) {block_param}에 연결</translation>
    </message>
    <message>
        <source>Remove block param {param}</source>
        <translation>블록 파라미터 {param} 제거</translation>
    </message>
    <message>
        <source>Freeze all but the head</source>
        <translation>헤드만 빼고 모두 고정</translation>
    </message>
    <message>
        <source>Continue with random weights</source>
        <translation>무작위 가중치로 계속</translation>
    </message>
    <message>
        <source>Paste {count} node(s)</source>
        <translation>노드 {count}개 붙여넣기</translation>
    </message>
    <message>
        <source>Paste {id}</source>
        <translation>{id} 붙여넣기</translation>
    </message>
    <message>
        <source>Auto-layout</source>
        <translation>자동 배치</translation>
    </message>
    <message>
        <source>{count} node(s)</source>
        <translation>노드 {count}개</translation>
    </message>
    <message>
        <source>{count} wire(s)</source>
        <translation>연결선 {count}개</translation>
    </message>
    <message>
        <source>{nodes} and {wires}</source>
        <translation>{nodes}와 {wires}</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>학습 가능 여부</translation>
    </message>
    <message>
        <source>Make room</source>
        <translation>자리 만들기</translation>
    </message>
    <message>
        <source>Add {type}</source>
        <translation>{type} 추가</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>학습 설정</translation>
    </message>
    <message>
        <source>Transfer: {preset}</source>
        <translation>전이 학습: {preset}</translation>
    </message>
    <message>
        <source>Unfreeze all</source>
        <translation>모두 고정 해제</translation>
    </message>
</context>
</TS>
